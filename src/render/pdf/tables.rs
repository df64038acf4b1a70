//! Tables: the three report tables as the werkplan prints them, and the findings table of the
//! Controle section, laid out as tagged PDF tables that break between rows and repeat their
//! header on every page.
//!
//! A report table is first fitted ([`fit`]): a label column of at least [`LABEL_MIN_CHARS`]
//! characters next to amount columns as wide as their widest content (header words wrap);
//! when that is wider than a portrait page, the table's text gets smaller (down to
//! [`MIN_SIZE`]), then its pages turn to landscape, and only when even that is too narrow are
//! its amount columns spread over several parts. A table is then prepared (column widths,
//! wrapped labels, row heights, slots and the tag tree) and placed by [`place`], which
//! paginates it with [`paginate`] and draws header and rows through the [`Rows`] trait. A
//! row taller than a page is split into pieces that continue on the next page.

use std::num::NonZeroU32;
use std::ops::Range;

use krilla::tagging::{TableHeaderScope, Tag};

use super::fonts::Style;
use super::layout::{
    Align, Flow, Furniture, Geometry, LEFT, Line, Op, Orientation, Rgb, Slot, TOP, TagNode,
    align_x, baseline, colors, paginate,
};
use crate::compute::Finding;
use crate::render::table::{ReportTable, RowStyle, Rule};

/// Table text size (the largest; a wide table may be set smaller).
const SIZE: f32 = 8.5;
/// The sizes a wide report table tries, largest first; the last is the readable minimum.
const SIZES: [f32; 4] = [SIZE, 8.0, 7.5, MIN_SIZE];
/// The smallest table text size.
pub(super) const MIN_SIZE: f32 = 7.0;
/// Table line height at [`SIZE`].
const LEADING: f32 = 11.0;
/// Space above and below a row's text at [`SIZE`].
const PAD: f32 = 3.0;
/// Space between columns at [`SIZE`].
const GAP: f32 = 9.0;
/// Indent of parts and line totals at [`SIZE`].
const INDENT: f32 = 10.0;
/// Size of footnote markers after values at [`SIZE`].
const MARKER_SIZE: f32 = 7.0;
/// Space between a value and its footnote marker at [`SIZE`].
const MARKER_GAP: f32 = 0.8;
/// How far a footnote marker is raised above the value's baseline at [`SIZE`].
const MARKER_RISE: f32 = 2.5;
/// The narrowest amount column at [`SIZE`].
const MIN_AMOUNT_WIDTH: f32 = 46.0;
/// The label column is at least this many characters of body text wide.
pub(super) const LABEL_MIN_CHARS: f32 = 22.0;
/// A long word widens the label column up to this many characters; a longer word breaks.
const LABEL_WORD_CHARS: f32 = 30.0;
/// Footnote text size.
const NOTE_SIZE: f32 = 7.5;
/// Footnote line height.
const NOTE_LEADING: f32 = 9.5;
/// Space between the table's edges and its outer columns.
const CELL_PAD: f32 = 4.0;
/// Space between a row's cells and its `below` cell.
const BELOW_GAP: f32 = 2.0;
/// Height of the continuation caption above a repeated header.
const CONTINUED_HEIGHT: f32 = 14.0;
/// The first piece of a row or footnote taller than a page is this much shorter than a page,
/// so that it fits under the table's title together with the rows it is kept with.
const FIRST_PIECE_RESERVE: f32 = 120.0;

/// A table that can be placed: its header and rows.
pub(super) trait Rows {
    /// The header's height.
    fn header_height(&self) -> f32;
    /// Draws the header with its top at `top`: tagged the first time, as page furniture when
    /// `repeated` on a later page.
    fn draw_header(&self, flow: &mut Flow, top: f32, repeated: bool);
    /// The rows' heights (the last rows may be pseudo rows such as footnotes).
    fn heights(&self) -> &[f32];
    /// Whether a page may end before each row.
    fn break_before(&self) -> &[bool];
    /// Draws row `index` with its top at `top`.
    fn draw_row(&self, flow: &mut Flow, index: usize, top: f32);
}

/// The height of a page's text area below a repeated header and its caption: no row is
/// taller than this.
fn body_height(geometry: Geometry, header: f32) -> f32 {
    geometry.bottom - TOP - header - CONTINUED_HEIGHT
}

/// Decides where a table starts, with `lead` points (its title) kept with it: on a new page
/// when the header and the first unbreakable group of rows do not fit below `lead`, or when
/// the whole table would fit on a page of its own but not in the less than 40% of a page left
/// here (a table that can stay in one piece is not split over the bottom of a page).
pub(super) fn keep_start(flow: &mut Flow, rows: &dyn Rows, lead: f32) {
    if flow.at_page_top() {
        return;
    }
    let geometry = flow.geometry();
    let header = rows.header_height();
    let first = flow.remaining() - lead - header;
    let full = body_height(geometry, header);
    let body: f32 = rows.heights().iter().sum();
    // a table that fits on a page of its own is not split over the bottom part of a page
    let whole_fits_fresh_page =
        lead + body <= full + CONTINUED_HEIGHT && flow.remaining() < 0.4 * (geometry.bottom - TOP);
    let plan = paginate(rows.heights(), rows.break_before(), first, full);
    if plan.first().is_some_and(|r| r.is_empty()) || (body > first && whole_fits_fresh_page) {
        flow.new_page();
    }
}

/// Places a table from the cursor down, over as many pages as it needs. Pages after the first
/// repeat the header under a `continued` caption (both page furniture).
pub(super) fn place(flow: &mut Flow, rows: &dyn Rows, continued: &str) {
    let header = rows.header_height();
    let full = body_height(flow.geometry(), header);
    let mut plan = paginate(
        rows.heights(),
        rows.break_before(),
        flow.remaining() - header,
        full,
    );
    if plan.first().is_some_and(|r| r.is_empty()) {
        flow.new_page();
        plan = paginate(
            rows.heights(),
            rows.break_before(),
            flow.remaining() - header,
            full,
        );
    }
    let heights = rows.heights();
    let caption_width = flow.geometry().content_width;
    for (k, range) in plan.iter().filter(|r| !r.is_empty()).enumerate() {
        if k > 0 {
            flow.new_page();
            flow.push(Op::Artifact(Furniture::Pagination));
            let y = baseline(flow.y, SIZE, CONTINUED_HEIGHT);
            let caption = flow.wrap(&[(Style::Italic, continued)], SIZE, caption_width);
            let caption = flow.clip(caption, 1, SIZE, caption_width);
            for line in &caption {
                flow.draw_line(line, LEFT, y, SIZE, colors::MUTED, false);
            }
            flow.push(Op::End);
            flow.y += CONTINUED_HEIGHT;
        }
        let top = flow.y;
        rows.draw_header(flow, top, k > 0);
        flow.y += header;
        for i in range.clone() {
            let top = flow.y;
            rows.draw_row(flow, i, top);
            flow.y += heights[i];
        }
    }
}

/// A cell's drawn content: ops in one tagged section.
struct Piece {
    slot: Slot,
    ops: Vec<Op>,
}

/// Draws header rectangles and pieces: tagged per piece, or all as one furniture section.
fn draw_pieces(flow: &mut Flow, rects: Vec<Op>, pieces: &[Piece], repeated: bool) {
    if repeated {
        flow.push(Op::Artifact(Furniture::Pagination));
        for op in rects {
            flow.push(op);
        }
        for piece in pieces {
            for op in &piece.ops {
                flow.push(op.clone());
            }
        }
        flow.push(Op::End);
    } else {
        if !rects.is_empty() {
            flow.push(Op::Artifact(Furniture::Layout));
            for op in rects {
                flow.push(op);
            }
            flow.push(Op::End);
        }
        for piece in pieces {
            flow.push(Op::Tagged(piece.slot));
            for op in &piece.ops {
                flow.push(op.clone());
            }
            flow.push(Op::End);
        }
    }
}

fn text_op(x: f32, y: f32, style: Style, size: f32, color: Rgb, text: &str) -> Op {
    Op::Text {
        x,
        y,
        style,
        size,
        color,
        text: text.to_string(),
    }
}

fn rect(x: f32, y: f32, w: f32, h: f32, color: Rgb) -> Op {
    Op::Rect { x, y, w, h, color }
}

/// A column header cell.
struct HeaderCell {
    /// Left edge and width of the box it heads.
    left: f32,
    width: f32,
    /// Wrapped text.
    lines: Vec<Line>,
    align: Align,
    slot: Slot,
}

/// Draws a header cell's lines (bold, `size` on `leading`) bottom-aligned above `bottom`.
fn header_piece(flow: &Flow, cell: &HeaderCell, bottom: f32, size: f32, leading: f32) -> Piece {
    let mut ops = Vec::new();
    let n = cell.lines.len();
    for (i, line) in cell.lines.iter().enumerate() {
        let text = super::layout::line_text(line);
        let w = flow.width(Style::Bold, size, &text);
        let x = align_x(cell.align, cell.left, cell.width, w);
        let top = bottom - (n - i) as f32 * leading;
        // an invisible space after a wrapped line keeps the words apart in the structure
        let text = if i + 1 < n { format!("{text} ") } else { text };
        ops.push(text_op(
            x,
            baseline(top, size, leading),
            Style::Bold,
            size,
            colors::HEADING,
            &text,
        ));
    }
    Piece {
        slot: cell.slot,
        ops,
    }
}

fn span(n: usize) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::try_from(n).unwrap_or(1)).filter(|n| n.get() > 1)
}

/// The typography of a report table at one text size: spacing scales with the text.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Typo {
    size: f32,
    leading: f32,
    pad: f32,
    gap: f32,
    indent: f32,
    marker_size: f32,
    marker_gap: f32,
    marker_rise: f32,
    min_amount: f32,
}

impl Typo {
    fn at(size: f32) -> Typo {
        let k = size / SIZE;
        Typo {
            size,
            leading: LEADING * k,
            pad: PAD * k,
            gap: GAP * k,
            indent: INDENT * k,
            marker_size: MARKER_SIZE * k,
            marker_gap: MARKER_GAP * k,
            marker_rise: MARKER_RISE * k,
            min_amount: MIN_AMOUNT_WIDTH * k,
        }
    }
}

/// How a report table is set: the orientation of its pages, its text size, and which amount
/// columns are printed together (one part with all columns, unless even a landscape page at
/// [`MIN_SIZE`] is too narrow for them).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Fit {
    /// Portrait, or landscape for a table too wide for portrait.
    pub orientation: Orientation,
    /// The table's text size.
    pub size: f32,
    /// The amount columns of each part.
    pub parts: Vec<Range<usize>>,
}

/// The widths a report table needs at one size.
struct Measure {
    /// The code column (0 without codes).
    code: f32,
    /// The narrowest label column that reads well.
    label_min: f32,
    /// Each amount column: its content width, the gutter for footnote markers included.
    amounts: Vec<f32>,
    /// Each amount column's gutter for footnote markers: room for the widest marker in the
    /// column (0 without markers). The values end where the gutter starts, so that their
    /// digits line up, and a marker stands in the gutter, inside the column.
    gutters: Vec<f32>,
}

impl Measure {
    fn of(flow: &Flow, table: &ReportTable, texts: &AmountTexts, typo: Typo) -> Measure {
        let size = typo.size;
        let code = table
            .rows
            .iter()
            .filter_map(|r| r.code.as_deref())
            .map(|c| flow.width(Style::Regular, size, c) + 7.0 * size / SIZE)
            .fold(0.0, f32::max);
        // the label column: some characters of text, and the longest word where it can
        let char_width = flow.width(Style::Regular, size, "abcdefghijklmnopqrstuvwxyz") / 26.0;
        let longest_word = table
            .rows
            .iter()
            .flat_map(|r| {
                let row_style = r.kind.style();
                let indent = if row_style.indented { typo.indent } else { 0.0 };
                let style = text_style(row_style);
                let label = r.label.split_whitespace().map(move |w| (style, w));
                let remark = r
                    .remark
                    .iter()
                    .flat_map(|m| m.split_whitespace().map(|w| (Style::Italic, w)));
                label
                    .chain(remark)
                    .map(move |(style, w)| flow.width(style, size, w) + indent)
                    .collect::<Vec<f32>>()
            })
            .chain(
                table
                    .label_header
                    .split_whitespace()
                    .map(|w| flow.width(Style::Bold, size, w) - code),
            )
            .fold(0.0, f32::max);
        let label_min = (LABEL_MIN_CHARS * char_width)
            .max(longest_word.min(LABEL_WORD_CHARS * char_width))
            .ceil();
        // amount columns: the widest value with the gutter for the widest marker, or the
        // widest header word
        let (amounts, gutters) = table
            .columns
            .iter()
            .enumerate()
            .map(|(c, column)| {
                let mut value = 0.0_f32;
                let mut gutter = 0.0_f32;
                for (r, row) in table.rows.iter().enumerate() {
                    let Some(cell) = row.cells.get(c) else {
                        continue;
                    };
                    let Some(text) = texts.get(r, c) else {
                        continue;
                    };
                    value = value.max(flow.width(
                        text_style(row.kind.style()).max_weight(),
                        size,
                        text,
                    ));
                    if let Some(marker) = &cell.marker {
                        gutter = gutter.max(
                            typo.marker_gap + flow.width(Style::Regular, typo.marker_size, marker),
                        );
                    }
                }
                let gutter = gutter.ceil();
                let width = column
                    .label
                    .split_whitespace()
                    .map(|w| flow.width(Style::Bold, size, w))
                    .fold((value + gutter).max(typo.min_amount), f32::max);
                (width, gutter)
            })
            .unzip();
        Measure {
            code,
            label_min,
            amounts,
            gutters,
        }
    }

    /// The width of the table with the amount columns `columns`, the label at its minimum.
    fn needed(&self, typo: Typo, columns: Range<usize>) -> f32 {
        let amounts: f32 = self
            .amounts
            .get(columns)
            .unwrap_or_default()
            .iter()
            .map(|w| w + typo.gap)
            .sum();
        2.0 * CELL_PAD + self.code + self.label_min + amounts
    }
}

/// `n` columns in `k` contiguous parts whose sizes differ by at most one.
fn balanced(n: usize, k: usize) -> Vec<Range<usize>> {
    let k = k.clamp(1, n.max(1));
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 0..k {
        let len = n / k + usize::from(i < n % k);
        parts.push(start..start + len);
        start += len;
    }
    parts
}

/// Fits a report table: the largest size at which it fits a portrait page, else the
/// largest at which it fits a landscape page, else landscape at [`MIN_SIZE`] with its amount
/// columns in as few parts as fit.
pub(super) fn fit(flow: &Flow, table: &ReportTable) -> Fit {
    let n = table.columns.len();
    let texts = AmountTexts::of(table);
    for orientation in [Orientation::Portrait, Orientation::Landscape] {
        let available = orientation.geometry().content_width;
        for size in SIZES {
            let typo = Typo::at(size);
            if Measure::of(flow, table, &texts, typo).needed(typo, 0..n) <= available {
                return Fit {
                    orientation,
                    size,
                    parts: std::iter::once(0..n).collect(),
                };
            }
        }
    }
    let orientation = Orientation::Landscape;
    let available = orientation.geometry().content_width;
    let typo = Typo::at(MIN_SIZE);
    let measure = Measure::of(flow, table, &texts, typo);
    let parts = (2..=n)
        .map(|k| balanced(n, k))
        .find(|parts| {
            parts
                .iter()
                .all(|r| measure.needed(typo, r.clone()) <= available)
        })
        .unwrap_or_else(|| balanced(n, n));
    Fit {
        orientation,
        size: MIN_SIZE,
        parts,
    }
}

/// The parts of a fitted table, each a table of its own with the label column and some of
/// the amount columns; a footnote goes with every part that shows its marker (with the last
/// part when none does). One part is the table itself.
pub(super) fn parts(table: &ReportTable, fit: &Fit) -> Vec<ReportTable> {
    if fit.parts.len() <= 1 {
        return vec![table.clone()];
    }
    let count = fit.parts.len();
    fit.parts
        .iter()
        .enumerate()
        .map(|(i, range)| {
            let mut part = table.clone();
            part.title = format!("{} (deel {} van {count})", table.title, i + 1);
            part.columns = table
                .columns
                .get(range.clone())
                .unwrap_or_default()
                .to_vec();
            for row in &mut part.rows {
                row.cells = row.cells.get(range.clone()).unwrap_or_default().to_vec();
            }
            let shown = |marker: &str, t: &ReportTable| {
                t.rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .any(|c| c.marker.as_deref() == Some(marker))
            };
            let footnotes = table
                .footnotes
                .iter()
                .filter(|note| {
                    shown(&note.marker, &part) || (i + 1 == count && !shown(&note.marker, table))
                })
                .cloned()
                .collect();
            part.footnotes = footnotes;
            part
        })
        .collect()
}

/// The formatted content of an amount cell.
struct AmountCell {
    text: String,
    style: Style,
    negative: bool,
    slot: Slot,
    marker: Option<(String, Slot)>,
}

/// One prepared row of a report table, or a piece of one: a row taller than a page is split
/// into pieces of its label's lines; the first piece carries the code and the amounts.
struct ReportRow {
    /// How the row is drawn, as the shared table decides.
    style: RowStyle,
    /// Whether the next row carries a rule above, so that this one ends without a hairline.
    ruled_below: bool,
    code: Option<String>,
    lines: Vec<Line>,
    label_slot: Slot,
    cells: Vec<Option<AmountCell>>,
    /// The index of the table row this is (a piece of).
    logical: usize,
    /// 0 for the row itself, 1.. for its continuation pieces.
    piece: usize,
    /// Whether a continuation piece follows.
    continues: bool,
}

/// A footnote under a table, or a piece of one.
struct NotePiece {
    /// The marker, on a note's first piece.
    marker: Option<String>,
    lines: Vec<Line>,
    slot: Slot,
    /// Space above the piece.
    gap: f32,
    /// Whether another piece of the same note follows.
    continues: bool,
}

/// A report table, prepared for placing.
pub(super) struct ReportLayout {
    typo: Typo,
    geometry: Geometry,
    code_x: f32,
    label_x: f32,
    /// Left edge and width of each amount column.
    columns: Vec<(f32, f32)>,
    /// Each amount column's gutter for footnote markers, at its right (see [`Measure`]).
    gutters: Vec<f32>,
    /// The label header cell and one per column.
    head_label: HeaderCell,
    head_columns: Vec<HeaderCell>,
    /// Group header cells: (first column, last column, cell).
    groups: Vec<(usize, usize, HeaderCell)>,
    group_height: f32,
    header_height: f32,
    rows: Vec<ReportRow>,
    /// The footnotes, drawn as pseudo rows after the rows.
    footnotes: Vec<NotePiece>,
    heights: Vec<f32>,
    breaks: Vec<bool>,
}

/// The font style of a row's text, from the row's style.
fn text_style(style: RowStyle) -> Style {
    if style.bold {
        Style::Bold
    } else if style.italic {
        Style::Italic
    } else {
        Style::Regular
    }
}

/// The amounts of a report table as printed, formatted once for all the sizes it is
/// measured at and for drawing: by row, then column.
struct AmountTexts(Vec<Vec<Option<String>>>);

impl AmountTexts {
    fn of(table: &ReportTable) -> AmountTexts {
        let rows = (0..table.rows.len()).map(|r| {
            (0..table.columns.len())
                .map(|c| table.amount_text(r, c))
                .collect()
        });
        AmountTexts(rows.collect())
    }

    /// The text of row `r`, column `c` (`None` for an empty cell).
    fn get(&self, r: usize, c: usize) -> Option<&str> {
        self.0.get(r)?.get(c)?.as_deref()
    }

    /// The text of row `r`, column `c`, taken out (when it is drawn and measured no more).
    fn take(&mut self, r: usize, c: usize) -> Option<String> {
        self.0.get_mut(r)?.get_mut(c)?.take()
    }
}

/// Splits `lines` into chunks: the first of at most `first` lines, the others of at most
/// `max` (at least one line each; one chunk when they all fit the first).
fn chunks(lines: Vec<Line>, first: usize, max: usize) -> Vec<Vec<Line>> {
    let (first, max) = (first.max(1), max.max(1));
    if lines.len() <= first {
        return vec![lines];
    }
    let mut rest = lines;
    let tail = rest.split_off(first);
    let mut out = vec![rest];
    out.extend(tail.chunks(max).map(<[Line]>::to_vec));
    out
}

/// Where the columns of a report table lie across the page.
struct Across {
    /// The width of the code column (0 without codes).
    code_width: f32,
    /// The left edge of the label column.
    label_x: f32,
    /// The width of the label column: the rest of the line, never less than an amount's.
    label_width: f32,
    /// Left edge and width of each amount column.
    columns: Vec<(f32, f32)>,
    /// Each amount column's gutter for footnote markers.
    gutters: Vec<f32>,
}

impl Across {
    /// The columns of a table measured as `measure`, on a page of `geometry`.
    fn of(measure: Measure, typo: Typo, geometry: Geometry) -> Across {
        let code_width = measure.code;
        let amounts: f32 = measure.amounts.iter().map(|w| w + typo.gap).sum();
        let label_x = LEFT + CELL_PAD + code_width;
        // the label takes the rest of the line; never less than a column's worth
        let label_width =
            (geometry.content_width - 2.0 * CELL_PAD - code_width - amounts).max(typo.min_amount);
        let mut columns = Vec::new();
        let mut x = label_x + label_width;
        for w in &measure.amounts {
            x += typo.gap;
            columns.push((x, *w));
            x += w;
        }
        Across {
            code_width,
            label_x,
            label_width,
            columns,
            gutters: measure.gutters,
        }
    }
}

/// The header of a report table, prepared: its cells (with their slots) and its height.
struct Header {
    /// The label header cell.
    label: HeaderCell,
    /// One cell per amount column.
    columns: Vec<HeaderCell>,
    /// Group header cells: (first column, last column, cell).
    groups: Vec<(usize, usize, HeaderCell)>,
    /// The height of the group line (0 without groups).
    group_height: f32,
    /// The header's height.
    height: f32,
}

impl Header {
    /// Wraps the header texts of `table` in their columns and measures the header.
    fn prepare(flow: &mut Flow, table: &ReportTable, across: &Across, typo: Typo) -> Header {
        let (size, leading, pad) = (typo.size, typo.leading, typo.pad);
        let label_width = across.code_width + across.label_width;
        let label = HeaderCell {
            left: LEFT + CELL_PAD,
            width: label_width,
            lines: flow.wrap(&[(Style::Bold, &table.label_header)], size, label_width),
            align: Align::Left,
            slot: flow.slot(),
        };
        let columns: Vec<HeaderCell> = table
            .columns
            .iter()
            .zip(&across.columns)
            .map(|(column, &(left, width))| HeaderCell {
                left,
                width,
                lines: flow.wrap(&[(Style::Bold, &column.label)], size, width),
                align: Align::Right,
                slot: 0,
            })
            .collect();
        let groups = Header::groups(flow, table, &across.columns, size);
        let group_height = if table.grouped() {
            leading + 4.0 * size / SIZE
        } else {
            0.0
        };
        let lines = columns
            .iter()
            .map(|h| h.lines.len())
            .chain([label.lines.len()])
            .max()
            .unwrap_or(1);
        Header {
            label,
            columns,
            groups,
            group_height,
            height: 2.0 * pad + 2.0 + group_height + lines as f32 * leading,
        }
    }

    /// The group header cells of `table` over their columns, clipped to one line.
    fn groups(
        flow: &Flow,
        table: &ReportTable,
        columns: &[(f32, f32)],
        size: f32,
    ) -> Vec<(usize, usize, HeaderCell)> {
        let mut groups = Vec::new();
        for group in table.column_groups() {
            let (Some(&(left, _)), Some(&(last_left, last_width))) =
                (columns.get(group.first), columns.get(group.last))
            else {
                continue;
            };
            let width = last_left + last_width - left;
            let lines = flow.wrap(&[(Style::Bold, &group.label)], size, width);
            let cell = HeaderCell {
                left,
                width,
                lines: flow.clip(lines, 1, size, width),
                align: Align::Center,
                slot: 0,
            };
            groups.push((group.first, group.last, cell));
        }
        groups
    }

    /// The header's tag rows (TRs), in visual order; hands out the slots of the group and
    /// column cells in the same order.
    fn tag(&mut self, flow: &mut Flow, grouped: bool) -> Vec<TagNode> {
        let row_span = span(if grouped { 2 } else { 1 });
        let mut first_row = vec![TagNode::group(
            Tag::TH(TableHeaderScope::Column).with_row_span(row_span),
            vec![TagNode::Slot(self.label.slot)],
        )];
        let mut second_row = Vec::new();
        let mut c = 0;
        while c < self.columns.len() {
            if let Some((_, last, cell)) = self.groups.iter_mut().find(|(first, _, _)| *first == c)
            {
                cell.slot = flow.slot();
                first_row.push(TagNode::group(
                    Tag::TH(TableHeaderScope::Column).with_col_span(span(*last - c + 1)),
                    vec![TagNode::Slot(cell.slot)],
                ));
                let last = *last;
                for column in self.columns.iter_mut().take(last + 1).skip(c) {
                    column.slot = flow.slot();
                    second_row.push(TagNode::group(
                        Tag::TH(TableHeaderScope::Column),
                        vec![TagNode::Slot(column.slot)],
                    ));
                }
                c = last + 1;
            } else {
                self.columns[c].slot = flow.slot();
                first_row.push(TagNode::group(
                    Tag::TH(TableHeaderScope::Column).with_row_span(row_span),
                    vec![TagNode::Slot(self.columns[c].slot)],
                ));
                c += 1;
            }
        }
        let mut head_rows = vec![TagNode::group(Tag::TR, first_row)];
        if !second_row.is_empty() {
            head_rows.push(TagNode::group(Tag::TR, second_row));
        }
        head_rows
    }
}

/// The rows of a report table, prepared: drawn rows (pieces), their heights, whether each
/// logical row is kept with the one before it, and the body's tag rows.
#[derive(Default)]
struct Body {
    /// The rows and their continuation pieces, in order.
    rows: Vec<ReportRow>,
    /// The height of each piece.
    heights: Vec<f32>,
    /// Per logical row: kept with the row before it.
    kept: Vec<bool>,
    /// One TR per logical row.
    tags: Vec<TagNode>,
}

/// What every row of a report table is set in: its typography, the label column's width,
/// and how many label lines a piece of a row may have.
#[derive(Clone, Copy)]
struct RowFrame {
    /// The table's typography.
    typo: Typo,
    /// The label column's width.
    label_width: f32,
    /// Lines of the first piece, which leaves room for the title and the rows kept with it.
    first: usize,
    /// Lines of any further piece (a page's worth).
    max: usize,
}

impl Body {
    /// Wraps and tags every row of `table`; a row taller than a page is split into pieces
    /// that fit one (`full` is a page's body height).
    fn prepare(
        flow: &mut Flow,
        table: &ReportTable,
        texts: &mut AmountTexts,
        across: &Across,
        typo: Typo,
        full: f32,
    ) -> Body {
        let (size, leading, pad) = (typo.size, typo.leading, typo.pad);
        let total_extra = 3.0 * size / SIZE;
        let frame = RowFrame {
            typo,
            label_width: across.label_width,
            max: ((full - 2.0 * pad - total_extra) / leading)
                .floor()
                .max(1.0) as usize,
            // the first piece leaves room for the title and the rows it is kept with
            first: ((full - FIRST_PIECE_RESERVE - 2.0 * pad - total_extra) / leading)
                .floor()
                .max(1.0) as usize,
        };
        // one piece per row but for the rare row taller than a page
        let count = table.rows.len();
        let mut body = Body {
            rows: Vec::with_capacity(count),
            heights: Vec::with_capacity(count),
            kept: Vec::with_capacity(count),
            tags: Vec::with_capacity(count),
        };
        for logical in 0..count {
            body.push_row(flow, table, logical, texts, frame);
        }
        body
    }

    /// Prepares row `logical` of `table`: its label lines, its tag row and amount cells,
    /// and its pieces.
    fn push_row(
        &mut self,
        flow: &mut Flow,
        table: &ReportTable,
        logical: usize,
        texts: &mut AmountTexts,
        frame: RowFrame,
    ) {
        let typo = frame.typo;
        let Some(row) = table.rows.get(logical) else {
            return;
        };
        let row_style = table.row_style(logical);
        let style = text_style(row_style);
        let indent = if row_style.indented { typo.indent } else { 0.0 };
        let mut runs = vec![(style, row.label.as_str())];
        if let Some(remark) = &row.remark {
            runs.push((Style::Italic, remark.as_str()));
        }
        let lines = flow.wrap(&runs, typo.size, frame.label_width - indent);
        let label_slot = flow.slot();
        let mut tr = vec![TagNode::group(
            Tag::TH(TableHeaderScope::Row),
            vec![TagNode::Slot(label_slot)],
        )];
        let mut cells = amount_cells(flow, table, logical, texts, style, &mut tr);
        self.tags.push(TagNode::group(Tag::TR, tr));
        self.kept.push(row_style.keep_with_previous);
        let total_extra = 3.0 * typo.size / SIZE;
        let pieces = chunks(lines, frame.first, frame.max);
        let count = pieces.len();
        for (piece, lines) in pieces.into_iter().enumerate() {
            let extra = if row_style.rule == Rule::TableTotal && piece == 0 {
                total_extra
            } else {
                0.0
            };
            self.heights
                .push(2.0 * typo.pad + lines.len().max(1) as f32 * typo.leading + extra);
            self.rows.push(ReportRow {
                style: row_style,
                ruled_below: table.ruled_below(logical),
                code: if piece == 0 { row.code.clone() } else { None },
                lines,
                label_slot,
                cells: if piece == 0 {
                    std::mem::take(&mut cells)
                } else {
                    Vec::new()
                },
                logical,
                piece,
                continues: piece + 1 < count,
            });
        }
    }

    /// Where a page may end before each piece: as the rows allow, and between the pieces of
    /// a split row.
    fn breaks(&self) -> Vec<bool> {
        self.rows
            .iter()
            .map(|r| r.piece > 0 || !self.kept.get(r.logical).copied().unwrap_or(false))
            .collect()
    }
}

/// The amount cells of row `logical` (text taken out of `texts`), each tagged as a TD pushed
/// to `tr`, with a Reference for its footnote marker.
fn amount_cells(
    flow: &mut Flow,
    table: &ReportTable,
    logical: usize,
    texts: &mut AmountTexts,
    style: Style,
    tr: &mut Vec<TagNode>,
) -> Vec<Option<AmountCell>> {
    let Some(row) = table.rows.get(logical) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    for c in 0..table.columns.len() {
        let cell = row.cells.get(c);
        let Some((cell, text)) = cell.and_then(|cell| texts.take(logical, c).map(|t| (cell, t)))
        else {
            tr.push(TagNode::group(Tag::TD, Vec::new()));
            cells.push(None);
            continue;
        };
        let slot = flow.slot();
        let mut td = vec![TagNode::Slot(slot)];
        let marker = cell.marker.as_ref().map(|m| {
            let marker_slot = flow.slot();
            td.push(TagNode::group(
                Tag::Reference,
                vec![TagNode::Slot(marker_slot)],
            ));
            (m.clone(), marker_slot)
        });
        tr.push(TagNode::group(Tag::TD, td));
        let negative = cell.value.is_some_and(|v| v.is_negative());
        cells.push(Some(AmountCell {
            text,
            style: style.max_weight(),
            negative,
            slot,
            marker,
        }));
    }
    cells
}

/// The footnotes of a report table, prepared: pseudo rows kept with the table's last rows.
#[derive(Default)]
struct Notes {
    /// The notes and their continuation pieces, in order.
    pieces: Vec<NotePiece>,
    /// The height of each piece.
    heights: Vec<f32>,
    /// Whether a page may end before each piece.
    breaks: Vec<bool>,
    /// One Note per footnote.
    tags: Vec<TagNode>,
}

impl Notes {
    /// Wraps the footnotes of `table` under it; a note taller than a page (of body height
    /// `full`) is split too.
    fn prepare(flow: &mut Flow, table: &ReportTable, geometry: Geometry, full: f32) -> Notes {
        let note_lines = ((full - 6.0) / NOTE_LEADING).floor().max(1.0) as usize;
        let first_note_lines = ((full - FIRST_PIECE_RESERVE - 6.0) / NOTE_LEADING)
            .floor()
            .max(1.0) as usize;
        let mut notes = Notes::default();
        for note in &table.footnotes {
            let marker_width =
                (flow.width(Style::Regular, NOTE_SIZE, &note.marker) + 6.0).max(12.0);
            let lines = flow.wrap(
                &[(Style::Regular, &note.text)],
                NOTE_SIZE,
                geometry.content_width - marker_width,
            );
            let slot = flow.slot();
            notes
                .tags
                .push(TagNode::group(Tag::Note, vec![TagNode::Slot(slot)]));
            let pieces = chunks(lines, first_note_lines, note_lines);
            let count = pieces.len();
            for (piece, lines) in pieces.into_iter().enumerate() {
                let gap = match (piece, notes.pieces.is_empty()) {
                    (0, true) => 6.0,
                    (0, false) => 3.0,
                    _ => 4.0,
                };
                notes
                    .heights
                    .push(gap + lines.len().max(1) as f32 * NOTE_LEADING);
                notes.breaks.push(piece > 0);
                notes.pieces.push(NotePiece {
                    marker: (piece == 0).then(|| note.marker.clone()),
                    lines,
                    slot,
                    gap,
                    continues: piece + 1 < count,
                });
            }
        }
        notes
    }
}

impl ReportLayout {
    /// Prepares `table` as fitted (its orientation and size; `fit.parts` is ignored: pass
    /// each of [`parts`]): measures and wraps, hands out slots, and returns the layout with
    /// the table's tag tree (the Table, then a Note per footnote).
    pub(super) fn prepare(
        flow: &mut Flow,
        table: &ReportTable,
        fit: &Fit,
    ) -> (ReportLayout, Vec<TagNode>) {
        let typo = Typo::at(fit.size);
        let geometry = fit.orientation.geometry();
        let mut texts = AmountTexts::of(table);
        let across = Across::of(Measure::of(flow, table, &texts, typo), typo, geometry);
        let mut header = Header::prepare(flow, table, &across, typo);
        let head_rows = header.tag(flow, table.grouped());
        let full = body_height(geometry, header.height);
        let body = Body::prepare(flow, table, &mut texts, &across, typo, full);
        let notes = Notes::prepare(flow, table, geometry, full);

        let mut breaks = body.breaks();
        breaks.extend(notes.breaks);
        let mut heights = body.heights;
        heights.extend(notes.heights);
        let table_children = vec![
            TagNode::group(Tag::THead, head_rows),
            TagNode::group(Tag::TBody, body.tags),
        ];
        let mut tree = vec![TagNode::group(Tag::Table, table_children)];
        tree.extend(notes.tags);
        let layout = ReportLayout {
            typo,
            geometry,
            code_x: LEFT + CELL_PAD,
            label_x: across.label_x,
            columns: across.columns,
            gutters: across.gutters,
            head_label: header.label,
            head_columns: header.columns,
            groups: header.groups,
            group_height: header.group_height,
            header_height: header.height,
            rows: body.rows,
            footnotes: notes.pieces,
            heights,
            breaks,
        };
        (layout, tree)
    }

    fn draw_footnote(&self, flow: &mut Flow, note: &NotePiece, top: f32) {
        let mut y = top + note.gap;
        let marker = note.marker.as_deref().unwrap_or_default();
        let marker_width = (flow.width(Style::Regular, NOTE_SIZE, marker) + 6.0).max(12.0);
        flow.push(Op::Tagged(note.slot));
        if let Some(marker) = &note.marker {
            flow.text(
                LEFT,
                baseline(y, NOTE_SIZE, NOTE_LEADING),
                Style::Regular,
                NOTE_SIZE,
                colors::TEXT,
                &format!("{marker} "),
            );
        }
        let n = note.lines.len();
        for (i, line) in note.lines.iter().enumerate() {
            let b = baseline(y, NOTE_SIZE, NOTE_LEADING);
            flow.draw_line(
                line,
                LEFT + marker_width,
                b,
                NOTE_SIZE,
                colors::TEXT,
                i + 1 < n || note.continues,
            );
            y += NOTE_LEADING;
        }
        flow.push(Op::End);
    }
}

/// Helpers on styles for amount cells.
trait Weight {
    /// Amounts are never italic: a note row's amounts are regular.
    fn max_weight(self) -> Style;
}

impl Weight for Style {
    fn max_weight(self) -> Style {
        match self {
            Style::Italic => Style::Regular,
            other => other,
        }
    }
}

impl Rows for ReportLayout {
    fn header_height(&self) -> f32 {
        self.header_height
    }

    fn draw_header(&self, flow: &mut Flow, top: f32, repeated: bool) {
        let (size, leading, pad) = (self.typo.size, self.typo.leading, self.typo.pad);
        let width = self.geometry.content_width;
        let bottom = top + self.header_height - pad - 2.0;
        let mut rects = vec![
            rect(
                LEFT,
                top,
                width,
                self.header_height - 1.2,
                colors::HEADER_FILL,
            ),
            rect(
                LEFT,
                top + self.header_height - 1.2,
                width,
                1.2,
                colors::RULE,
            ),
        ];
        let mut pieces = vec![header_piece(flow, &self.head_label, bottom, size, leading)];
        // visual order: group cells before their columns
        let mut c = 0;
        while c < self.head_columns.len() {
            if let Some((_, last, cell)) = self.groups.iter().find(|(first, _, _)| *first == c) {
                let group_bottom = top + pad + self.group_height - 4.0 * size / SIZE;
                pieces.push(header_piece(flow, cell, group_bottom, size, leading));
                rects.push(rect(
                    cell.left,
                    group_bottom + 1.5,
                    cell.width,
                    0.6,
                    colors::RULE,
                ));
                for column in self.head_columns.get(c..=*last).unwrap_or_default() {
                    pieces.push(header_piece(flow, column, bottom, size, leading));
                }
                c = last + 1;
            } else {
                pieces.push(header_piece(
                    flow,
                    &self.head_columns[c],
                    bottom,
                    size,
                    leading,
                ));
                c += 1;
            }
        }
        draw_pieces(flow, rects, &pieces, repeated);
    }

    fn heights(&self) -> &[f32] {
        &self.heights
    }

    fn break_before(&self) -> &[bool] {
        &self.breaks
    }

    fn draw_row(&self, flow: &mut Flow, index: usize, top: f32) {
        let Some(row) = self.rows.get(index) else {
            if let Some(note) = self.footnotes.get(index - self.rows.len()) {
                self.draw_footnote(flow, note, top);
            }
            return;
        };
        let (size, leading) = (self.typo.size, self.typo.leading);
        let text_top = self.text_top(row, top);
        let rects = self.furniture(row, top, self.heights[index]);
        if row.style.bullet && row.piece == 0 {
            // a bullet before each part, as the werkplan prints them
            let b = baseline(text_top, size, leading);
            flow.push(Op::Artifact(Furniture::Layout));
            flow.text(
                self.label_x + 1.0,
                b,
                Style::Regular,
                size,
                colors::MUTED,
                "•",
            );
            flow.push(Op::End);
        }
        if !rects.is_empty() {
            flow.push(Op::Artifact(Furniture::Layout));
            for op in rects {
                flow.push(op);
            }
            flow.push(Op::End);
        }
        self.draw_label(flow, row, text_top);
        self.draw_amounts(flow, row, text_top);
    }
}

impl ReportLayout {
    /// The top of a row's text: under the pad, and under the double rule of a total.
    fn text_top(&self, row: &ReportRow, top: f32) -> f32 {
        let total_extra = 3.0 * self.typo.size / SIZE;
        top + self.typo.pad
            + if row.style.rule == Rule::TableTotal && row.piece == 0 {
                total_extra
            } else {
                0.0
            }
    }

    /// A row's furniture: its band, rules and hairline, and the fill behind negative amounts.
    fn furniture(&self, row: &ReportRow, top: f32, height: f32) -> Vec<Op> {
        let width = self.geometry.content_width;
        let first = row.piece == 0;
        let style = row.style;
        let mut rects = Vec::new();
        if style.band {
            rects.push(rect(LEFT, top, width, height, colors::BAND_FILL));
        }
        match style.rule {
            Rule::TableTotal => {
                if first {
                    rects.push(rect(LEFT, top + 1.0, width, 1.2, colors::RULE));
                }
                if !row.continues {
                    rects.push(rect(LEFT, top + height - 1.2, width, 1.2, colors::RULE));
                }
            }
            Rule::AboveFigures if first => {
                for &(left, w) in &self.columns {
                    rects.push(rect(left, top, w, 0.7, colors::TEXT));
                }
            }
            _ => {}
        }
        // the last piece of a row ends in a hairline, unless a rule follows or is its own
        let ends_ruled = style.rule == Rule::TableTotal || row.ruled_below;
        if !ends_ruled && !row.continues {
            rects.push(rect(
                LEFT,
                top + height - 0.35,
                width,
                0.35,
                colors::HAIRLINE,
            ));
        }
        for (cell, &(left, w)) in row.cells.iter().zip(&self.columns) {
            if let Some(cell) = cell
                && cell.negative
            {
                let inset = 3.0 * self.typo.size / SIZE;
                rects.push(rect(
                    left - inset,
                    top + 1.5,
                    w + 2.0 * inset,
                    height - 3.0,
                    colors::NEGATIVE_FILL,
                ));
            }
        }
        rects
    }

    /// Draws a row's label cell: code and label in one tagged section.
    fn draw_label(&self, flow: &mut Flow, row: &ReportRow, text_top: f32) {
        let (size, leading) = (self.typo.size, self.typo.leading);
        let color = if row.style.italic {
            colors::MUTED
        } else {
            colors::TEXT
        };
        let indent = if row.style.indented {
            self.typo.indent
        } else {
            0.0
        };
        flow.push(Op::Tagged(row.label_slot));
        if let Some(code) = &row.code {
            flow.text(
                self.code_x,
                baseline(text_top, size, leading),
                Style::Regular,
                size,
                colors::TEXT,
                &format!("{code} "),
            );
        }
        let n = row.lines.len();
        for (i, line) in row.lines.iter().enumerate() {
            let b = baseline(text_top + i as f32 * leading, size, leading);
            flow.draw_line(
                line,
                self.label_x + indent,
                b,
                size,
                color,
                i + 1 < n || row.continues,
            );
        }
        flow.push(Op::End);
    }

    /// Draws a row's amounts, right-aligned on the first line where the column's marker
    /// gutter starts; a marker follows its value in the gutter, so both stay inside the
    /// column.
    fn draw_amounts(&self, flow: &mut Flow, row: &ReportRow, text_top: f32) {
        let Typo {
            size,
            leading,
            marker_size,
            marker_gap,
            marker_rise,
            ..
        } = self.typo;
        let b = baseline(text_top, size, leading);
        for ((cell, &(left, w)), &gutter) in row.cells.iter().zip(&self.columns).zip(&self.gutters)
        {
            let Some(cell) = cell else { continue };
            let text_width = flow.width(cell.style, size, &cell.text);
            let x = align_x(Align::Right, left, w - gutter, text_width);
            let color = if cell.negative {
                colors::NEGATIVE
            } else {
                colors::TEXT
            };
            flow.push(Op::Tagged(cell.slot));
            flow.text(x, b, cell.style, size, color, &cell.text);
            flow.push(Op::End);
            if let Some((marker, slot)) = &cell.marker {
                flow.push(Op::Tagged(*slot));
                flow.text(
                    x + text_width + marker_gap,
                    b - marker_rise,
                    Style::Regular,
                    marker_size,
                    color,
                    marker,
                );
                flow.push(Op::End);
            }
        }
    }
}

/// A text column of a simple table.
pub(super) struct GridColumn {
    /// Header text.
    pub header: String,
    /// Alignment of header and cells.
    pub align: Align,
    /// Width; `None` takes the rest of the line.
    pub width: Option<f32>,
    /// Drawn on a line of its own under the other cells of its row (a long message), from
    /// the second column to the right edge.
    pub below: bool,
}

/// A cell of a simple table: text, and whether it is a negative amount.
pub(super) struct GridCell {
    /// The text; empty for an empty cell.
    pub text: String,
    /// Shown as a negative amount.
    pub negative: bool,
}

/// Where a column of a simple table is drawn.
#[derive(Clone, Copy)]
struct GridPlace {
    left: f32,
    width: f32,
    align: Align,
    below: bool,
}

/// A prepared cell: wrapped lines, negative, slot.
type GridLines = (Vec<Line>, bool, Option<Slot>);

/// A simple tagged table of text cells (the findings), prepared for placing. Every row is
/// one TR; a `below` column is drawn under the row's other cells.
pub(super) struct GridLayout {
    columns: Vec<GridPlace>,
    head: Vec<HeaderCell>,
    /// Lines of the header's first line (the others are below it).
    head_lines: usize,
    header_height: f32,
    /// Width of the text area it is drawn in.
    width: f32,
    rows: Vec<Vec<GridLines>>,
    /// Per row: the height of the first line of cells.
    inline_heights: Vec<f32>,
    heights: Vec<f32>,
    breaks: Vec<bool>,
}

impl GridLayout {
    /// Prepares a simple table for the current page's orientation; returns it and its tag
    /// tree. A row taller than a page is clipped, its last line ending in an ellipsis.
    pub(super) fn prepare(
        flow: &mut Flow,
        columns: &[GridColumn],
        rows: &[Vec<GridCell>],
    ) -> (GridLayout, TagNode) {
        let geometry = flow.geometry();
        let places = grid_places(columns, geometry);
        let (head, head_nodes) = grid_header(flow, columns, &places);
        let lines_of = |below: bool| {
            head.iter()
                .zip(&places)
                .filter(|(_, p)| p.below == below)
                .map(|(h, _)| h.lines.len())
                .max()
                .unwrap_or(0)
        };
        let head_lines = lines_of(false).max(1);
        let header_height = 2.0 * PAD + 2.0 + (head_lines + lines_of(true)) as f32 * LEADING;
        let full = body_height(geometry, header_height);
        let max_lines = ((full - 2.0 * PAD - BELOW_GAP) / LEADING).floor().max(2.0) as usize;
        let mut laid_rows = Vec::new();
        let mut body = Vec::new();
        let mut heights = Vec::new();
        let mut inline_heights = Vec::new();
        for row in rows {
            let (cells, tr, inline_height, height) = grid_row(flow, row, &places, max_lines);
            inline_heights.push(inline_height);
            heights.push(height);
            body.push(tr);
            laid_rows.push(cells);
        }
        // a short table stays in one piece; a long one breaks between rows
        let short = heights.iter().sum::<f32>() < (geometry.bottom - TOP) / 3.0;
        let breaks = (0..heights.len()).map(|i| i == 0 || !short).collect();
        let tree = TagNode::group(
            Tag::Table,
            vec![
                TagNode::group(Tag::THead, vec![TagNode::group(Tag::TR, head_nodes)]),
                TagNode::group(Tag::TBody, body),
            ],
        );
        let layout = GridLayout {
            columns: places,
            head,
            head_lines,
            header_height,
            width: geometry.content_width,
            rows: laid_rows,
            inline_heights,
            heights,
            breaks,
        };
        (layout, tree)
    }
}

/// Where each column of a simple table is drawn: the inline columns side by side (those
/// without a width share the rest of the line), a `below` column from the second column to
/// the right edge.
fn grid_places(columns: &[GridColumn], geometry: Geometry) -> Vec<GridPlace> {
    let inline: Vec<&GridColumn> = columns.iter().filter(|c| !c.below).collect();
    let fixed: f32 = inline.iter().filter_map(|c| c.width).sum();
    let flexible = inline.iter().filter(|c| c.width.is_none()).count().max(1) as f32;
    let gaps = GAP * (inline.len().saturating_sub(1)) as f32;
    let rest = ((geometry.content_width - 2.0 * CELL_PAD - fixed - gaps) / flexible).max(40.0);
    let mut places = Vec::new();
    let mut x = LEFT + CELL_PAD;
    let mut second = None;
    for column in columns {
        if column.below {
            places.push(GridPlace {
                left: 0.0,
                width: 0.0,
                align: column.align,
                below: true,
            });
            continue;
        }
        let width = column.width.unwrap_or(rest);
        places.push(GridPlace {
            left: x,
            width,
            align: column.align,
            below: false,
        });
        x += width + GAP;
        if places.len() == 2 {
            second = Some(places[1].left);
        }
    }
    let below_left = second.unwrap_or(LEFT + CELL_PAD);
    for place in places.iter_mut().filter(|p| p.below) {
        place.left = below_left;
        place.width = geometry.right - CELL_PAD - below_left;
    }
    places
}

/// The header cells of a simple table, wrapped in their places, and their TH tag nodes.
fn grid_header(
    flow: &mut Flow,
    columns: &[GridColumn],
    places: &[GridPlace],
) -> (Vec<HeaderCell>, Vec<TagNode>) {
    let mut head = Vec::new();
    let mut head_nodes = Vec::new();
    for (column, place) in columns.iter().zip(places) {
        let slot = flow.slot();
        head_nodes.push(TagNode::group(
            Tag::TH(TableHeaderScope::Column),
            vec![TagNode::Slot(slot)],
        ));
        head.push(HeaderCell {
            left: place.left,
            width: place.width,
            lines: flow.wrap(&[(Style::Bold, &column.header)], SIZE, place.width),
            align: place.align,
            slot,
        });
    }
    (head, head_nodes)
}

/// Prepares a row of a simple table: its cells, its TR, the height of its inline cells and
/// its whole height. A row taller than a page (`max_lines`) is clipped: the inline cells to
/// half a page when there is a line below, that line to the rest.
fn grid_row(
    flow: &mut Flow,
    row: &[GridCell],
    places: &[GridPlace],
    max_lines: usize,
) -> (Vec<GridLines>, TagNode, f32, f32) {
    let wrapped: Vec<Vec<Line>> = row
        .iter()
        .zip(places)
        .map(|(cell, place)| flow.wrap(&[(Style::Regular, &cell.text)], SIZE, place.width))
        .collect();
    let count = |below: bool| {
        wrapped
            .iter()
            .zip(places)
            .filter(|(_, p)| p.below == below)
            .map(|(l, _)| l.len())
            .max()
            .unwrap_or(0)
    };
    let inline_cap = if count(true) > 0 {
        max_lines / 2
    } else {
        max_lines
    };
    let most = count(false).clamp(1, inline_cap.max(1));
    let below_cap = max_lines.saturating_sub(most).max(1);
    let below = count(true).min(below_cap);
    let mut cells = Vec::new();
    let mut tr = Vec::new();
    for ((cell, place), lines) in row.iter().zip(places).zip(wrapped) {
        let cap = if place.below { below_cap } else { most };
        let lines = flow.clip(lines, cap, SIZE, place.width);
        let slot = (!lines.is_empty()).then(|| flow.slot());
        tr.push(TagNode::group(
            Tag::TD,
            slot.map(TagNode::Slot).into_iter().collect(),
        ));
        cells.push((lines, cell.negative, slot));
    }
    let inline_height = PAD + most as f32 * LEADING;
    let below_height = if below > 0 {
        BELOW_GAP + below as f32 * LEADING
    } else {
        0.0
    };
    let height = inline_height + PAD + below_height;
    (cells, TagNode::group(Tag::TR, tr), inline_height, height)
}

impl Rows for GridLayout {
    fn header_height(&self) -> f32 {
        self.header_height
    }

    fn draw_header(&self, flow: &mut Flow, top: f32, repeated: bool) {
        let first_bottom = top + PAD + self.head_lines as f32 * LEADING;
        let bottom = top + self.header_height - PAD - 2.0;
        let height = self.header_height;
        let rects = vec![
            rect(LEFT, top, self.width, height - 1.2, colors::HEADER_FILL),
            rect(LEFT, top + height - 1.2, self.width, 1.2, colors::RULE),
        ];
        let pieces: Vec<Piece> = self
            .head
            .iter()
            .zip(&self.columns)
            .map(|(cell, place)| {
                let bottom = if place.below { bottom } else { first_bottom };
                header_piece(flow, cell, bottom, SIZE, LEADING)
            })
            .collect();
        draw_pieces(flow, rects, &pieces, repeated);
    }

    fn heights(&self) -> &[f32] {
        &self.heights
    }

    fn break_before(&self) -> &[bool] {
        &self.breaks
    }

    fn draw_row(&self, flow: &mut Flow, index: usize, top: f32) {
        let Some(row) = self.rows.get(index) else {
            return;
        };
        let height = self.heights[index];
        let inline = self.inline_heights[index];
        let mut rects = vec![rect(
            LEFT,
            top + height - 0.35,
            self.width,
            0.35,
            colors::HAIRLINE,
        )];
        for ((_, negative, _), place) in row.iter().zip(&self.columns) {
            if *negative && !place.below {
                let (x, w) = (place.left - 3.0, place.width + 6.0);
                rects.push(rect(
                    x,
                    top + 1.5,
                    w,
                    inline + PAD - 3.0,
                    colors::NEGATIVE_FILL,
                ));
            }
        }
        flow.push(Op::Artifact(Furniture::Layout));
        for op in rects {
            flow.push(op);
        }
        flow.push(Op::End);
        for ((lines, negative, slot), place) in row.iter().zip(&self.columns) {
            let Some(slot) = slot else { continue };
            let color = if *negative {
                colors::NEGATIVE
            } else {
                colors::TEXT
            };
            let first = if place.below {
                top + inline + BELOW_GAP
            } else {
                top + PAD
            };
            flow.push(Op::Tagged(*slot));
            let n = lines.len();
            for (i, line) in lines.iter().enumerate() {
                let text = super::layout::line_text(line);
                let w = flow.width(Style::Regular, SIZE, &text);
                let x = align_x(place.align, place.left, place.width, w);
                let b = baseline(first + i as f32 * LEADING, SIZE, LEADING);
                flow.draw_line(line, x, b, SIZE, color, i + 1 < n);
            }
            flow.push(Op::End);
        }
    }
}

/// The findings as rows of the Controle table: severity, place, stated, computed,
/// difference, message.
pub(super) fn finding_rows(findings: &[Finding]) -> Vec<Vec<GridCell>> {
    let money = |m: Option<crate::model::Money>| GridCell {
        text: m.map(|m| m.to_dutch()).unwrap_or_default(),
        negative: m.is_some_and(|m| m.is_negative()),
    };
    findings
        .iter()
        .map(|f| {
            vec![
                GridCell {
                    text: f.severity.word().to_string(),
                    negative: false,
                },
                GridCell {
                    text: f.place.to_string(),
                    negative: false,
                },
                money(f.stated),
                money(f.computed),
                money(f.difference),
                GridCell {
                    text: f.message.clone(),
                    negative: false,
                },
            ]
        })
        .collect()
}

/// A chart's figures as a table under it, for readers who cannot see the chart (and for
/// screen readers, which read it as a table): a row per category, a column per series.
pub(super) fn chart_grid(
    flow: &Flow,
    chart: &crate::render::Chart,
) -> (Vec<GridColumn>, Vec<Vec<GridCell>>) {
    let rows: Vec<Vec<GridCell>> = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, category)| {
            let mut row = vec![GridCell {
                text: category.clone(),
                negative: false,
            }];
            row.extend(chart.series.iter().map(|s| GridCell {
                text: s.amount_text(i).unwrap_or_default(),
                negative: s.values.get(i).is_some_and(|v| v.is_negative()),
            }));
            row
        })
        .collect();
    let widest = |index: usize, header: &str| widest(flow, &rows, index, header);
    let mut columns = vec![GridColumn {
        header: chart.category_header().to_string(),
        align: Align::Left,
        width: None,
        below: false,
    }];
    for (i, series) in chart.series.iter().enumerate() {
        columns.push(GridColumn {
            header: series.name.clone(),
            align: Align::Right,
            width: Some(widest(i + 1, &series.name)),
            below: false,
        });
    }
    (columns, rows)
}

/// The width of a grid column: its widest cell or its bold header, whichever is wider.
pub(super) fn widest(flow: &Flow, rows: &[Vec<GridCell>], index: usize, header: &str) -> f32 {
    let header = flow.width(Style::Bold, SIZE, header);
    rows.iter()
        .filter_map(|r| r.get(index))
        .map(|c| flow.width(Style::Regular, SIZE, &c.text))
        .fold(header, f32::max)
        .ceil()
}

/// The columns of the findings table: amount columns as wide as their widest figure, the
/// place takes the rest of the line, the message a line of its own below.
pub(super) fn finding_columns(flow: &Flow, rows: &[Vec<GridCell>]) -> Vec<GridColumn> {
    let widest = |index: usize, header: &str| widest(flow, rows, index, header);
    let column = |header: &str, align, width| GridColumn {
        header: header.to_string(),
        align,
        width,
        below: false,
    };
    vec![
        column("Ernst", Align::Left, Some(widest(0, "Ernst"))),
        column("Plaats", Align::Left, None),
        column("Vermeld", Align::Right, Some(widest(2, "Vermeld"))),
        column("Berekend", Align::Right, Some(widest(3, "Berekend"))),
        column("Verschil", Align::Right, Some(widest(4, "Verschil"))),
        GridColumn {
            below: true,
            ..column("Melding", Align::Left, None)
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_text_follows_the_shared_style() {
        use crate::render::table::RowKind;
        assert_eq!(text_style(RowKind::LineTotal.style()), Style::Bold);
        assert_eq!(text_style(RowKind::Note.style()), Style::Italic);
        assert_eq!(text_style(RowKind::Part.style()), Style::Regular);
    }
}
