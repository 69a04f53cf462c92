//! Tables with aligned columns, laid out as plain text or as a Markdown pipe table.
//!
//! Widths count characters, not bytes, so headers like `-lr·gradient` (the `·` is two bytes
//! in UTF-8) line up.

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Align {
    Left,
    Right,
}

/// A header row and body rows of already formatted cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table whose first column is left-aligned (names) and the others right-aligned
    /// (numbers).
    pub fn new(headers: &[&str]) -> Table {
        let align = (0..headers.len())
            .map(|i| if i == 0 { Align::Left } else { Align::Right })
            .collect();
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            align,
            rows: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    fn widths(&self) -> Vec<usize> {
        (0..self.headers.len())
            .map(|c| {
                std::iter::once(&self.headers)
                    .chain(&self.rows)
                    .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    fn cells(&self, row: &[String], widths: &[usize]) -> Vec<String> {
        widths
            .iter()
            .enumerate()
            .map(|(c, &w)| {
                let cell = row.get(c).map_or("", String::as_str);
                let pad = " ".repeat(w - cell.chars().count());
                match self.align[c] {
                    Align::Left => format!("{cell}{pad}"),
                    Align::Right => format!("{pad}{cell}"),
                }
            })
            .collect()
    }

    /// Plain text: columns two spaces apart, a dashed rule under the header, each line
    /// starting with `indent`.
    pub fn text(&self, indent: &str) -> String {
        let widths = self.widths();
        let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
        let mut out = String::new();
        let lines = std::iter::once(self.cells(&self.headers, &widths))
            .chain(std::iter::once(rule))
            .chain(self.rows.iter().map(|r| self.cells(r, &widths)));
        for cells in lines {
            out.push_str(indent);
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        out
    }

    /// A Markdown pipe table, padded so the source reads as a table too.
    pub fn markdown(&self) -> String {
        let widths: Vec<usize> = self.widths().into_iter().map(|w| w.max(3)).collect();
        let rule: Vec<String> = widths
            .iter()
            .zip(&self.align)
            .map(|(&w, a)| match a {
                Align::Left => format!(":{}", "-".repeat(w - 1)),
                Align::Right => format!("{}:", "-".repeat(w - 1)),
            })
            .collect();
        let mut out = String::new();
        let lines = std::iter::once(self.cells(&self.headers, &widths))
            .chain(std::iter::once(rule))
            .chain(self.rows.iter().map(|r| self.cells(r, &widths)));
        for cells in lines {
            out.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_by_characters() {
        let mut t = Table::new(&["param", "-lr·g"]);
        t.push(vec!["w1".into(), "-0.01".into()]);
        t.push(vec!["b10".into(), "0.5".into()]);
        assert_eq!(
            t.text("  "),
            "  param  -lr·g\n  -----  -----\n  w1     -0.01\n  b10      0.5\n"
        );
        assert_eq!(
            t.markdown(),
            "| param | -lr·g |\n| :---- | ----: |\n| w1    | -0.01 |\n| b10   |   0.5 |\n"
        );
    }
}
