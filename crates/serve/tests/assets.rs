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
