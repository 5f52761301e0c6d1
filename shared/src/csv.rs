//! CSV as Microsoft 365's "Add multiple users" and Excel write it (RFC
//! 4180: commas, double quotes doubled inside quoted fields, CRLF or LF),
//! and cells made safe for a spreadsheet to open.

/// The columns of the import template and of the export, in order.
pub const USER_COLUMNS: [&str; 7] = [
    "User Name",
    "First Name",
    "Last Name",
    "Display Name",
    "Email",
    "Alternate Email",
    "Role",
];

/// Most rows one import may hold.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// What a spreadsheet runs as a formula when a cell starts with it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One cell for a spreadsheet: text a spreadsheet would run as a formula
/// (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`; quoted when it
/// holds a comma, quote, semicolon, tab or line break. Excel in a locale
/// whose list separator is `;` (Dutch, German, French...) splits a comma
/// file at every `;` and tab, quotes or not, so a `'` also goes after each
/// `;` or tab that a formula character (or a quote) follows.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    if s.starts_with(FORMULA_STARTS) {
        out.push('\'');
    }
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, ';' | '\t')
            && chars
                .peek()
                .is_some_and(|next| FORMULA_STARTS.contains(next) || *next == '"')
        {
            out.push('\'');
        }
    }
    let s = out;
    if s.contains([',', '"', '\n', '\r', ';', '\t']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A row of cells, CRLF-terminated.
pub fn row(cells: &[&str]) -> String {
    let mut out = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

/// A record and the line it starts on (1-based).
pub type Record = (usize, Vec<String>);

/// The records of `text` with the line each starts on (1-based). A byte
/// order mark is skipped; blank lines are dropped. `Err((line, reason))`
/// for an unclosed quote or text after a closing quote.
pub fn parse(text: &str) -> Result<Vec<Record>, (usize, &'static str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut cell = String::new();
    let (mut line, mut start_line) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    let mut after_quote = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => {
                    quoted = false;
                    after_quote = true;
                }
                '\n' => {
                    line += 1;
                    cell.push(c);
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.is_empty() && !after_quote => quoted = true,
            ',' => {
                record.push(std::mem::take(&mut cell));
                after_quote = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                record.push(std::mem::take(&mut cell));
                if record.iter().any(|c| !c.trim().is_empty()) {
                    records.push((start_line, std::mem::take(&mut record)));
                }
                record.clear();
                after_quote = false;
                line += 1;
                start_line = line;
            }
            _ if after_quote => return Err((line, "text after a closing quote")),
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err((start_line, "a quote is never closed"));
    }
    record.push(cell);
    if record.iter().any(|c| !c.trim().is_empty()) {
        records.push((start_line, record));
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_commas_quotes_and_line_breaks_read_back() {
        let text = "\u{feff}A,B\r\n\"x, y\",\"say \"\"hi\"\"\"\n\n\"two\nlines\",z";
        let rows = parse(text).unwrap();
        assert_eq!(rows[0], (1, vec!["A".to_string(), "B".into()]));
        assert_eq!(rows[1], (2, vec!["x, y".to_string(), "say \"hi\"".into()]));
        assert_eq!(rows[2], (4, vec!["two\nlines".to_string(), "z".into()]));
        assert_eq!(parse("\"open"), Err((1, "a quote is never closed")));
        assert_eq!(parse("\"a\"b"), Err((1, "text after a closing quote")));
    }

    #[test]
    fn cells_that_would_run_as_formulas_are_defused() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("plain"), "plain");
        assert_eq!(row(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    /// A line as Excel splits it where the list separator is `;`: at every
    /// `;` and tab outside a field that began with a quote.
    fn split_as_semicolon_excel(line: &str) -> Vec<String> {
        let mut fields = vec![String::new()];
        let mut quoted = false;
        for c in line.chars() {
            let field = fields.last_mut().unwrap();
            match c {
                '"' if field.is_empty() && !quoted => quoted = true,
                '"' if quoted => quoted = false,
                ';' | '\t' if !quoted => fields.push(String::new()),
                _ => field.push(c),
            }
        }
        fields
    }

    #[test]
    fn no_cell_starts_a_formula_when_dutch_excel_splits_the_file_at_semicolons() {
        let hostile = [
            "Bob;=HYPERLINK(\"http://evil.example\")",
            "Bob\t=1+1",
            "x;+1;-1;@A1",
            "a, b;=c",
            "a;\"=c\"",
            ";=start",
            "=first;=second",
        ];
        for value in hostile {
            let line = row(&["first", value, "last"]);
            for field in split_as_semicolon_excel(line.trim_end()) {
                assert!(
                    !field.starts_with(['=', '+', '-', '@']),
                    "{value:?} gives the cell {field:?} in {line:?}"
                );
            }
            // And the comma reading still gives the cell back, defused only
            // where a formula could start.
            let parsed = parse(&line).unwrap();
            assert_eq!(parsed[0].1.len(), 3, "{line:?}");
        }
        assert_eq!(cell("Bob;=X"), "\"Bob;'=X\"");
        assert_eq!(cell("a;b"), "\"a;b\"");
    }
}
