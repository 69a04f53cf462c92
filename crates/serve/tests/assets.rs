//! The page's static files over HTTP: the tab icon answers at `/favicon.svg` and at
//! `/favicon.ico` (browsers ask for the latter on every load; it was a 404), and the page
//! links the former.

mod common;

#[tokio::test]
async fn the_icon_is_served_where_browsers_look() {
    let addr = common::start().await;
    for path in ["/favicon.ico", "/favicon.svg"] {
        let r = common::get(addr, path).await;
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.headers
                .to_ascii_lowercase()
                .contains("content-type: image/svg+xml"),
            "{path}: {}",
            r.headers
        );
        assert!(r.body.starts_with("<svg"), "{path}");
    }
    let page = common::get(addr, "/").await;
    assert!(page
        .body
        .contains(r#"<link rel="icon" href="/favicon.svg" type="image/svg+xml">"#));
}

/// Every script and style the page links is served with its type: a file added to the page
/// but not to the server's table would be a 404 and a page without its code.
#[tokio::test]
async fn every_file_the_page_links_is_served() {
    let addr = common::start().await;
    let page = common::get(addr, "/").await.body;
    let mut linked = 0;
    for (attr, kind) in [
        (r#"<script src=""#, "javascript"),
        (r#"rel="stylesheet" href=""#, "css"),
    ] {
        for part in page.split(attr).skip(1) {
            let path = &part[..part.find('"').expect("a closing quote")];
            let r = common::get(addr, path).await;
            assert_eq!(r.status, 200, "{path}");
            assert!(
                r.headers.to_ascii_lowercase().contains(kind),
                "{path}: {}",
                r.headers
            );
            linked += 1;
        }
    }
    // draw.js, charts.js, app.js and style.css at least: the split found them.
    assert!(linked >= 4, "found {linked} linked files");
}
