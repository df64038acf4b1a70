//! Byte-level scanning of spreadsheet XML for the ledger reader: tags and their attributes,
//! text, entities and Excel's `_xHHHH_` escapes, cell references.
//!
//! Not a general XML parser: just what the parts of an xlsx hold (no DTDs, no entity
//! definitions). Every function works on a byte slice that may end in the middle of a tag:
//! [`parse_tag`] then says [`Parsed::Incomplete`] and the caller reads more.

use memchr::{memchr, memchr3, memmem};

/// What kind of markup a `<...>` is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TagKind {
    /// `<name ...>`
    Start,
    /// `</name>`
    End,
    /// `<name .../>`
    Empty,
    /// A comment, processing instruction or declaration: skipped.
    Other,
    /// `<![CDATA[...]]>`: text the ledger reader does not expect in a sheet.
    Cdata,
}

/// One tag, borrowed from the buffer.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tag<'a> {
    /// The local name, without a namespace prefix (`row` for `<x:row>`).
    pub name: &'a [u8],
    /// The raw attribute text (already checked to be well formed).
    pub attrs: &'a [u8],
    /// The kind.
    pub kind: TagKind,
    /// Bytes from `<` through `>`.
    pub len: usize,
}

/// The outcome of reading a tag at the start of a slice.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Parsed<'a> {
    /// A whole tag.
    Tag(Tag<'a>),
    /// The slice ends inside the tag: read more.
    Incomplete,
    /// Not well-formed XML.
    Malformed,
}

/// Where `needle` first is in `hay`: a plain loop over the first bytes (the distance to the
/// next tag or quote is mostly a few bytes, where `memchr`'s setup costs more than it
/// saves), `memchr` beyond.
#[inline]
pub(crate) fn find_byte(needle: u8, hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 24;
    if let Some(i) = hay.iter().take(SHORT).position(|&b| b == needle) {
        return Some(i);
    }
    if hay.len() <= SHORT {
        return None;
    }
    memchr(needle, &hay[SHORT..]).map(|i| i + SHORT)
}

/// Strips a namespace prefix: `x:row` -> `row`.
pub(crate) fn local(name: &[u8]) -> &[u8] {
    match name.iter().rposition(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_name_end(b: u8) -> bool {
    is_space(b) || b == b'/' || b == b'>' || b == b'='
}

/// Reads the tag at the start of `buf` (which starts with `<`).
pub(crate) fn parse_tag(buf: &[u8]) -> Parsed<'_> {
    match buf.get(1) {
        None => Parsed::Incomplete,
        Some(b'/') => end_tag(buf),
        Some(b'?') => skip_until(buf, b"?>", TagKind::Other),
        Some(b'!') => declaration(buf),
        Some(_) => start_tag(buf),
    }
}

fn end_tag(buf: &[u8]) -> Parsed<'_> {
    let Some(gt) = find_byte(b'>', buf) else {
        return Parsed::Incomplete;
    };
    let name = trim(&buf[2..gt]);
    if name.is_empty() || name.iter().any(|&b| is_name_end(b) || b == b'<') {
        return Parsed::Malformed;
    }
    Parsed::Tag(Tag {
        name: local(name),
        attrs: &[],
        kind: TagKind::End,
        len: gt + 1,
    })
}

fn skip_until<'a>(buf: &'a [u8], end: &[u8], kind: TagKind) -> Parsed<'a> {
    match memmem::find(&buf[2..], end) {
        Some(i) => Parsed::Tag(Tag {
            name: &[],
            attrs: &[],
            kind,
            len: 2 + i + end.len(),
        }),
        None => Parsed::Incomplete,
    }
}

fn declaration(buf: &[u8]) -> Parsed<'_> {
    const COMMENT: &[u8] = b"<!--";
    const CDATA: &[u8] = b"<![CDATA[";
    let head = &buf[..buf.len().min(CDATA.len())];
    if head.len() < CDATA.len() && (CDATA.starts_with(head) || COMMENT.starts_with(head)) {
        return Parsed::Incomplete;
    }
    if buf.starts_with(COMMENT) {
        return skip_until(buf, b"-->", TagKind::Other);
    }
    if buf.starts_with(CDATA) {
        return skip_until(buf, b"]]>", TagKind::Cdata);
    }
    // `<!DOCTYPE ...>`: skipped, entity definitions are never expanded
    match memchr(b'>', buf) {
        Some(gt) => Parsed::Tag(Tag {
            name: &[],
            attrs: &[],
            kind: TagKind::Other,
            len: gt + 1,
        }),
        None => Parsed::Incomplete,
    }
}

fn start_tag(buf: &[u8]) -> Parsed<'_> {
    let name_end = buf[1..]
        .iter()
        .position(|&b| is_name_end(b) || b == b'<')
        .map(|i| i + 1);
    let Some(name_end) = name_end else {
        return Parsed::Incomplete;
    };
    if name_end == 1 || buf[name_end] == b'<' || buf[name_end] == b'=' {
        return Parsed::Malformed;
    }
    let mut i = name_end;
    loop {
        while i < buf.len() && is_space(buf[i]) {
            i += 1;
        }
        let Some(&b) = buf.get(i) else {
            return Parsed::Incomplete;
        };
        let kind = match b {
            b'>' => TagKind::Start,
            b'/' => match buf.get(i + 1) {
                None => return Parsed::Incomplete,
                Some(b'>') => TagKind::Empty,
                Some(_) => return Parsed::Malformed,
            },
            _ => match attribute_end(buf, i) {
                Ok(next) => {
                    i = next;
                    continue;
                }
                Err(parsed) => return parsed,
            },
        };
        let len = if kind == TagKind::Empty { i + 2 } else { i + 1 };
        return Parsed::Tag(Tag {
            name: local(&buf[1..name_end]),
            attrs: &buf[name_end..i],
            kind,
            len,
        });
    }
}

/// Checks one `name="value"` starting at `i`; returns the index after it.
fn attribute_end(buf: &[u8], mut i: usize) -> Result<usize, Parsed<'_>> {
    let start = i;
    while i < buf.len() && !is_name_end(buf[i]) && buf[i] != b'<' {
        i += 1;
    }
    if i == start || buf.get(i) == Some(&b'<') {
        return Err(Parsed::Malformed);
    }
    while i < buf.len() && is_space(buf[i]) {
        i += 1;
    }
    match buf.get(i) {
        None => return Err(Parsed::Incomplete),
        Some(b'=') => i += 1,
        Some(_) => return Err(Parsed::Malformed),
    }
    while i < buf.len() && is_space(buf[i]) {
        i += 1;
    }
    let quote = match buf.get(i) {
        None => return Err(Parsed::Incomplete),
        Some(&q @ (b'"' | b'\'')) => q,
        Some(_) => return Err(Parsed::Malformed),
    };
    match find_byte(quote, &buf[i + 1..]) {
        Some(len) if buf[i + 1..i + 1 + len].contains(&b'<') => Err(Parsed::Malformed),
        Some(len) => Ok(i + 2 + len),
        None => Err(Parsed::Incomplete),
    }
}

/// The attributes of a well-formed tag's attribute text: `(name, raw value)` pairs.
pub(crate) fn attributes(attrs: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut rest = attrs;
    std::iter::from_fn(move || {
        let start = rest.iter().position(|&b| !is_space(b))?;
        rest = &rest[start..];
        let eq = find_byte(b'=', rest)?;
        let name = trim(&rest[..eq]);
        let after = &rest[eq + 1..];
        let q = after.iter().position(|&b| b == b'"' || b == b'\'')?;
        let quote = after[q];
        let value_start = q + 1;
        let len = find_byte(quote, &after[value_start..])?;
        let value = &after[value_start..value_start + len];
        rest = &after[value_start + len + 1..];
        Some((name, value))
    })
}

/// The raw value of the attribute `name` (matched exactly, prefix included).
pub(crate) fn attribute<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    attributes(attrs).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// Strips XML whitespace from both ends.
pub(crate) fn trim(bytes: &[u8]) -> &[u8] {
    let start = bytes
        .iter()
        .position(|&b| !is_space(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| !is_space(b))
        .map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}

/// Whether raw text needs [`unescape`]: an entity, an `_xHHHH_` escape or a carriage return.
pub(crate) fn needs_unescape(raw: &[u8]) -> bool {
    let mut from = 0;
    while let Some(i) = memchr3(b'&', b'_', b'\r', &raw[from..]) {
        let at = from + i;
        if raw[at] != b'_' || underscore_escape(&raw[at..]).is_some() {
            return true;
        }
        from = at + 1;
    }
    false
}

/// `_x000D_` -> 0x000D.
fn underscore_escape(raw: &[u8]) -> Option<u16> {
    let body = raw.get(..7)?;
    if body[0] != b'_' || body[1] != b'x' || body[6] != b'_' {
        return None;
    }
    let hex = std::str::from_utf8(&body[2..6]).ok()?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(hex, 16).ok()
}

/// Appends raw XML text to `out`, resolving entities (`&amp;`, `&#233;`, `&#xE9;`, ...),
/// Excel's `_xHHHH_` escapes and line ends (`\r\n` -> `\n`). `None` for an unknown entity,
/// a character reference to no character, or bytes that are not UTF-8.
pub(crate) fn unescape(raw: &[u8], out: &mut String) -> Option<()> {
    let mut copied = 0;
    let mut i = 0;
    let mut high: Option<u16> = None;
    while let Some(found) = memchr3(b'&', b'_', b'\r', &raw[i..]) {
        let at = i + found;
        let (ch, len) = match raw[at] {
            b'&' => entity(&raw[at..])?,
            b'\r' => (
                '\n',
                if raw.get(at + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                },
            ),
            _ => match underscore_escape(&raw[at..]) {
                Some(unit) => (utf16_unit(unit, &mut high, &raw[at + 7..]), 7),
                None => {
                    i = at + 1;
                    continue;
                }
            },
        };
        out.push_str(std::str::from_utf8(&raw[copied..at]).ok()?);
        if ch != '\0' || raw[at] != b'_' {
            out.push(ch);
        }
        i = at + len;
        copied = i;
    }
    out.push_str(std::str::from_utf8(&raw[copied..]).ok()?);
    Some(())
}

/// One `_xHHHH_` unit as a character: a surrogate pair makes one character (the high half
/// returns `'\0'` and is combined with the next), a lone surrogate is U+FFFD.
fn utf16_unit(unit: u16, high: &mut Option<u16>, rest: &[u8]) -> char {
    if let Some(h) = high.take()
        && (0xDC00..=0xDFFF).contains(&unit)
    {
        let code = 0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
        return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
    }
    if (0xD800..=0xDBFF).contains(&unit) {
        if underscore_escape(rest).is_some_and(|u| (0xDC00..=0xDFFF).contains(&u)) {
            *high = Some(unit);
            return '\0';
        }
        return char::REPLACEMENT_CHARACTER;
    }
    char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// An entity at the start of `raw` (which starts with `&`): its character and length.
fn entity(raw: &[u8]) -> Option<(char, usize)> {
    let semi = memchr(b';', &raw[..raw.len().min(12)])?;
    let name = &raw[1..semi];
    let ch = match name {
        b"amp" => '&',
        b"lt" => '<',
        b"gt" => '>',
        b"quot" => '"',
        b"apos" => '\'',
        _ => {
            let digits = name.strip_prefix(b"#")?;
            let (digits, radix) = match digits.strip_prefix(b"x") {
                Some(hex) => (hex, 16),
                None => (digits, 10),
            };
            let code = u32::from_str_radix(std::str::from_utf8(digits).ok()?, radix).ok()?;
            char::from_u32(code)?
        }
    };
    Some((ch, semi + 1))
}

/// The last row and column of a sheet, as the budget reader knows them.
pub(crate) use crate::ingest::read::{LAST_COL, LAST_ROW};

/// A cell reference (`B12`, `$B$12` is not used in sheet XML) as one-based row and column,
/// unbounded (saturating): the caller checks them against the sheet's edges. `None` when it
/// is no reference at all.
pub(crate) fn cell_reference(raw: &[u8]) -> Option<(u64, u64)> {
    let letters = raw.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = &raw[letters..];
    if letters == 0 || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let col = raw[..letters].iter().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1)
    });
    Some((number(digits)?, col))
}

/// A run of ASCII digits as a number (saturating); `None` when empty or not digits.
pub(crate) fn number(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    }))
}

/// The closing tag of an item element (`</row>`, `</x:row>`, `</si>`): text cannot hold
/// `<`, so the name followed by `>` and preceded by `</` or `</prefix:` closes it.
pub(crate) struct Closing {
    finder: memmem::Finder<'static>,
    len: usize,
}

impl Closing {
    /// For the element whose name and `>` are `name_gt` (`b"row>"`).
    pub(crate) fn new(name_gt: &'static [u8]) -> Closing {
        Closing {
            finder: memmem::Finder::new(name_gt),
            len: name_gt.len(),
        }
    }

    /// Where the closing tag starts in `body`, and its length.
    pub(crate) fn find(&self, body: &[u8]) -> Option<(usize, usize)> {
        let mut from = 0;
        while let Some(i) = self.finder.find(&body[from..]) {
            let at = from + i;
            if at >= 2 && &body[at - 2..at] == b"</" {
                return Some((at - 2, self.len + 2));
            }
            if at >= 1 && body[at - 1] == b':' {
                let prefix = body[..at - 1]
                    .iter()
                    .rposition(|&b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
                    .map_or(0, |p| p + 1);
                if prefix >= 2 && prefix < at - 1 && &body[prefix - 2..prefix] == b"</" {
                    return Some((prefix - 2, at + self.len - (prefix - 2)));
                }
            }
            from = at + 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(text: &str) -> Tag<'_> {
        match parse_tag(text.as_bytes()) {
            Parsed::Tag(tag) => tag,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn tags_of_each_kind() {
        let t = tag(r#"<x:c r="A1" s='3' t="s">rest"#);
        assert_eq!(t.name, b"c");
        assert_eq!(t.kind, TagKind::Start);
        assert_eq!(t.len, r#"<x:c r="A1" s='3' t="s">"#.len());
        assert_eq!(attribute(t.attrs, b"s"), Some(&b"3"[..]));
        assert_eq!(attribute(t.attrs, b"t"), Some(&b"s"[..]));
        assert_eq!(tag("<c/>").kind, TagKind::Empty);
        assert_eq!(tag("<c r = \"B2\" />").kind, TagKind::Empty);
        assert_eq!(tag("</x:row >").name, b"row");
        assert_eq!(tag("<?xml version=\"1.0\"?>").kind, TagKind::Other);
        assert_eq!(tag("<!-- a > b -->").len, "<!-- a > b -->".len());
        assert_eq!(tag("<![CDATA[x]]>").kind, TagKind::Cdata);
        // a `>` inside a quoted value does not end the tag
        let t = tag(r#"<c a="1>2" r="C3">"#);
        assert_eq!(attribute(t.attrs, b"r"), Some(&b"C3"[..]));
    }

    #[test]
    fn incomplete_and_malformed() {
        for text in [
            "<",
            "<c r=\"A1",
            "<c r=",
            "<c",
            "</row",
            "<!--x",
            "<![CDA",
            "<c /",
        ] {
            assert!(
                matches!(parse_tag(text.as_bytes()), Parsed::Incomplete),
                "{text}"
            );
        }
        for text in [
            "<>",
            "<c r>",
            "<c r=A1>",
            "</>",
            "<c =\"1\">",
            "<c a=\"<\">",
            "<c /x>",
        ] {
            assert!(
                matches!(parse_tag(text.as_bytes()), Parsed::Malformed),
                "{text}"
            );
        }
    }

    fn unescaped(raw: &str) -> Option<String> {
        let mut out = String::new();
        unescape(raw.as_bytes(), &mut out).map(|()| out)
    }

    #[test]
    fn entities_and_escapes() {
        assert_eq!(
            unescaped("R&amp;D &lt;&gt; &quot;&apos; &#233;&#xE9;").as_deref(),
            Some("R&D <> \"' éé")
        );
        assert_eq!(unescaped("a_x000D_b").as_deref(), Some("a\rb"));
        assert_eq!(unescaped("a\r\nb\rc").as_deref(), Some("a\nb\nc"));
        assert_eq!(unescaped("_xD83D__xDE00_").as_deref(), Some("😀"));
        assert_eq!(unescaped("_xD83D_").as_deref(), Some("\u{FFFD}"));
        assert_eq!(
            unescaped("snake_case _x12").as_deref(),
            Some("snake_case _x12")
        );
        assert_eq!(unescaped("&bogus;"), None);
        assert_eq!(unescaped("&#xD800;"), None);
        assert_eq!(unescaped("&amp"), None);
        assert!(needs_unescape(b"a&amp;b"));
        assert!(needs_unescape(b"a_x0009_"));
        assert!(!needs_unescape(b"snake_case"));
    }

    #[test]
    fn references() {
        assert_eq!(cell_reference(b"A1"), Some((1, 1)));
        assert_eq!(cell_reference(b"AB12"), Some((12, 28)));
        assert_eq!(cell_reference(b"XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_reference(b"E4294967302"), Some((4_294_967_302, 5)));
        assert_eq!(cell_reference(b"12"), None);
        assert_eq!(cell_reference(b"A"), None);
        assert_eq!(cell_reference(b"A1B"), None);
    }

    #[test]
    fn the_end_of_a_row() {
        let row = Closing::new(b"row>");
        assert_eq!(row.find(b"<c/></row>"), Some((4, 6)));
        assert_eq!(row.find(b"<c/></x:row>"), Some((4, 8)));
        assert_eq!(row.find(b"<c><v>arrow></v></c></row>x"), Some((20, 6)));
        assert_eq!(row.find(b"<c/></arrow>"), None);
        assert_eq!(row.find(b"<c/></ro"), None);
        assert_eq!(Closing::new(b"si>").find(b"<t>a</t></x:si>"), Some((8, 7)));
    }
}
