//! Which cell styles of an xlsx are dates: `styles.xml`'s `cellXfs` point at number formats,
//! built in (ids 14-22, 27-36, 45-47, 50-58) or custom (`numFmts`, a date when the code has
//! a day, month or year outside quotes, brackets and escapes).
//!
//! A number in a date-styled cell is a date serial; the ledger reader turns it into a date.

use super::xml::{self, Parsed, TagKind};

/// The built-in number formats that show a date or time.
fn builtin_is_date(id: u32) -> bool {
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Whether a custom number format code shows a date: `d`, `m` or `y` outside quoted text,
/// `[...]` (colours, conditions, elapsed time) and escaped characters (`\x`, `_x`, `*x`).
/// A code with hours or seconds and no day or year (`h:mm`, `mm:ss`) is a time, not a date.
pub(crate) fn code_is_date(code: &str) -> bool {
    let mut letters = String::new();
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            '[' => {
                for q in chars.by_ref() {
                    if q == ']' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            ';' => break, // the first section decides
            c => letters.push(c.to_ascii_lowercase()),
        }
    }
    let has = |c: char| letters.contains(c);
    has('d') || has('y') || (has('m') && !has('h') && !has('s'))
}

/// The date styles of a workbook: for each `cellXfs` index, whether it is a date format.
/// Best effort: a styles part that cannot be read gives no date styles (dates then arrive
/// as numbers and the ledger says the date is unreadable).
pub(crate) fn date_styles(styles: &[u8]) -> Vec<bool> {
    let mut custom: Vec<(u32, bool)> = Vec::new();
    let mut xfs: Vec<u32> = Vec::new();
    let mut in_cell_xfs = false;
    let mut pos = 0;
    while let Some(i) = memchr::memchr(b'<', &styles[pos..]) {
        let at = pos + i;
        let Parsed::Tag(tag) = xml::parse_tag(&styles[at..]) else {
            break;
        };
        pos = at + tag.len;
        match (tag.kind, tag.name) {
            (TagKind::Start | TagKind::Empty, b"numFmt") => {
                let id = xml::attribute(tag.attrs, b"numFmtId").and_then(xml::number);
                let mut code = String::new();
                let raw = xml::attribute(tag.attrs, b"formatCode").unwrap_or_default();
                if let (Some(id), Some(())) = (id, xml::unescape(raw, &mut code)) {
                    custom.push((u32::try_from(id).unwrap_or(u32::MAX), code_is_date(&code)));
                }
            }
            (TagKind::Start, b"cellXfs") => in_cell_xfs = true,
            (TagKind::End, b"cellXfs") => in_cell_xfs = false,
            (TagKind::Start | TagKind::Empty, b"xf") if in_cell_xfs => {
                let id = xml::attribute(tag.attrs, b"numFmtId").and_then(xml::number);
                xfs.push(id.map_or(0, |id| u32::try_from(id).unwrap_or(u32::MAX)));
            }
            _ => {}
        }
    }
    xfs.iter()
        .map(|&id| match custom.iter().find(|(c, _)| *c == id) {
            Some(&(_, is_date)) => is_date,
            None => builtin_is_date(id),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_codes() {
        for code in [
            "dd/mm/yyyy",
            "d-m-yy",
            "[$-413]d mmmm yyyy",
            "mmm-yy",
            "yyyy",
            "DD-MM-JJJJ;@",
        ] {
            assert!(code_is_date(code), "{code}");
        }
        for code in [
            "General",
            "0.00",
            "#,##0.00 \"dagen\"",
            "[Red]0.00",
            "[h]:mm:ss",
            "h:mm",
            "mm:ss",
            "€ #,##0.00;[Red]-€ #,##0.00",
            "0\\d",
            "0_d",
        ] {
            assert!(!code_is_date(code), "{code}");
        }
    }

    #[test]
    fn cell_styles_point_at_formats() {
        let styles = br#"<?xml version="1.0"?><styleSheet><numFmts count="2">
            <numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>
            <numFmt numFmtId="165" formatCode="&quot;EUR&quot; #,##0.00"/></numFmts>
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>
            <cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/>
            <xf numFmtId="165"/><xf numFmtId="14"><alignment/></xf><xf/></cellXfs></styleSheet>"#;
        assert_eq!(date_styles(styles), vec![false, true, false, true, false]);
        assert!(date_styles(b"not xml <<<").is_empty());
    }
}
