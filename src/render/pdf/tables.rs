//! Tables: the three report tables as the werkplan prints them, and the findings table of the
//! Controle section, laid out as tagged PDF tables that break between rows and repeat their
//! header on every page.
//!
//! A table is prepared first (column widths, wrapped labels, row heights, slots and the tag
//! tree), then placed by [`place`], which paginates it with [`paginate`] and draws header and
//! rows through the [`Rows`] trait.

use std::num::NonZeroU32;

use krilla::tagging::{TableHeaderScope, Tag};

use super::fonts::Style;
use super::layout::{
    Align, BOTTOM, CONTENT_WIDTH, Flow, Furniture, LEFT, Line, Op, RIGHT, Rgb, Slot, TOP, TagNode,
    align_x, baseline, colors, paginate,
};
use crate::compute::Finding;
use crate::render::table::{ReportTable, RowKind, TableCell};

/// Table text size.
const SIZE: f32 = 8.5;
/// Table line height.
const LEADING: f32 = 11.0;
/// Space above and below a row's text.
const PAD: f32 = 3.0;
/// Space between columns.
const GAP: f32 = 9.0;
/// Indent of parts and line totals.
const INDENT: f32 = 10.0;
/// Size of footnote markers after values.
const MARKER_SIZE: f32 = 7.0;
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

/// Decides where a table starts, with `lead` points (its title) kept with it: on a new page
/// when the header and the first unbreakable group of rows do not fit below `lead`, or when
/// the whole table would fit on a page of its own but not in the less than 40% of a page left
/// here (a table that can stay in one piece is not split over the bottom of a page).
pub(super) fn keep_start(flow: &mut Flow, rows: &dyn Rows, lead: f32) {
    if flow.at_page_top() {
        return;
    }
    let header = rows.header_height();
    let first = flow.remaining() - lead - header;
    let full = BOTTOM - TOP - header - CONTINUED_HEIGHT;
    let body: f32 = rows.heights().iter().sum();
    // a table that fits on a page of its own is not split over the bottom part of a page
    let whole_fits_fresh_page =
        lead + body <= full + CONTINUED_HEIGHT && flow.remaining() < 0.4 * (BOTTOM - TOP);
    let plan = paginate(rows.heights(), rows.break_before(), first, full);
    if plan.first().is_some_and(|r| r.is_empty()) || (body > first && whole_fits_fresh_page) {
        flow.new_page();
    }
}

/// Places a table from the cursor down, over as many pages as it needs. Pages after the first
/// repeat the header under a `continued` caption (both page furniture).
pub(super) fn place(flow: &mut Flow, rows: &dyn Rows, continued: &str) {
    let header = rows.header_height();
    let full = BOTTOM - TOP - header - CONTINUED_HEIGHT;
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
    for (k, range) in plan.iter().filter(|r| !r.is_empty()).enumerate() {
        if k > 0 {
            flow.new_page();
            flow.push(Op::Artifact(Furniture::Pagination));
            let y = baseline(flow.y, SIZE, CONTINUED_HEIGHT);
            flow.text(LEFT, y, Style::Italic, SIZE, colors::MUTED, continued);
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

/// Draws a header cell's lines bottom-aligned in `top..bottom`.
fn header_piece(flow: &Flow, cell: &HeaderCell, bottom: f32) -> Piece {
    let mut ops = Vec::new();
    let n = cell.lines.len();
    for (i, line) in cell.lines.iter().enumerate() {
        let text = super::layout::line_text(line);
        let w = flow.width(Style::Bold, SIZE, &text);
        let x = align_x(cell.align, cell.left, cell.width, w);
        let top = bottom - (n - i) as f32 * LEADING;
        // an invisible space after a wrapped line keeps the words apart in the structure
        let text = if i + 1 < n { format!("{text} ") } else { text };
        ops.push(text_op(
            x,
            baseline(top, SIZE, LEADING),
            Style::Bold,
            SIZE,
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

/// The formatted content of an amount cell.
struct AmountCell {
    text: String,
    style: Style,
    negative: bool,
    slot: Slot,
    marker: Option<(String, Slot)>,
}

/// One prepared row of a report table.
struct ReportRow {
    kind: RowKind,
    code: Option<String>,
    lines: Vec<Line>,
    label_slot: Slot,
    cells: Vec<Option<AmountCell>>,
}

/// A report table, prepared for placing.
pub(super) struct ReportLayout {
    code_x: f32,
    label_x: f32,
    /// Left edge and width of each amount column.
    columns: Vec<(f32, f32)>,
    /// The label header cell and one per column.
    head_label: HeaderCell,
    head_columns: Vec<HeaderCell>,
    /// Group header cells: (first column, last column, cell).
    groups: Vec<(usize, usize, HeaderCell)>,
    group_height: f32,
    header_height: f32,
    rows: Vec<ReportRow>,
    /// Footnotes: marker, wrapped text, slot.
    footnotes: Vec<(String, Vec<Line>, Slot)>,
    heights: Vec<f32>,
    breaks: Vec<bool>,
}

/// The style of a row's text.
fn row_style(kind: RowKind) -> Style {
    match kind {
        RowKind::ThemeHeading | RowKind::LineTotal | RowKind::Subtotal | RowKind::Total => {
            Style::Bold
        }
        RowKind::Note => Style::Italic,
        RowKind::Line | RowKind::Part => Style::Regular,
    }
}

/// Whether a page may end before each row: never right after a theme heading (keep with
/// next), never before a part, a line total, a subtotal or the table total (keep with the
/// rows they belong to).
pub(super) fn break_allowed(kinds: &[RowKind]) -> Vec<bool> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| {
            let after_heading = i > 0 && kinds[i - 1] == RowKind::ThemeHeading;
            let attached = matches!(
                kind,
                RowKind::Part | RowKind::LineTotal | RowKind::Subtotal | RowKind::Total
            );
            !(after_heading || attached)
        })
        .collect()
}

fn amount_text(cell: &TableCell, cents: bool) -> Option<String> {
    cell.value.map(|v| v.to_dutch_with(cents))
}

impl ReportLayout {
    /// Prepares `table`: measures and wraps, hands out slots, and returns the layout with
    /// the table's tag tree (the Table, then a Note per footnote).
    pub(super) fn prepare(flow: &mut Flow, table: &ReportTable) -> (ReportLayout, Vec<TagNode>) {
        let has_code = table.rows.iter().any(|r| r.code.is_some());
        let code_width = if has_code {
            table
                .rows
                .iter()
                .filter_map(|r| r.code.as_deref())
                .map(|c| flow.width(Style::Regular, SIZE, c))
                .fold(0.0, f32::max)
                + 7.0
        } else {
            0.0
        };
        // amount column widths: the widest value or header word, at least 46 pt
        let mut widths = Vec::new();
        for (c, column) in table.columns.iter().enumerate() {
            let mut w: f32 = 46.0;
            for row in &table.rows {
                if let Some(text) = row
                    .cells
                    .get(c)
                    .and_then(|cell| amount_text(cell, column.cents))
                {
                    w = w.max(flow.width(row_style(row.kind).max_weight(), SIZE, &text));
                }
            }
            for word in column.label.split_whitespace() {
                w = w.max(flow.width(Style::Bold, SIZE, word));
            }
            widths.push(w);
        }
        let amounts: f32 = widths.iter().map(|w| w + GAP).sum();
        let label_x = LEFT + CELL_PAD + code_width;
        let label_width = CONTENT_WIDTH - 2.0 * CELL_PAD - code_width - amounts;
        let mut columns = Vec::new();
        let mut x = label_x + label_width;
        for w in &widths {
            x += GAP;
            columns.push((x, *w));
            x += w;
        }

        // header
        let grouped = table.columns.iter().any(|c| c.group.is_some());
        let head_label = HeaderCell {
            left: LEFT + CELL_PAD,
            width: code_width + label_width,
            lines: flow.wrap(
                &[(Style::Bold, &table.label_header)],
                SIZE,
                code_width + label_width,
            ),
            align: Align::Left,
            slot: flow.slot(),
        };
        let head_columns: Vec<HeaderCell> = table
            .columns
            .iter()
            .zip(&columns)
            .map(|(column, &(left, width))| HeaderCell {
                left,
                width,
                lines: flow.wrap(&[(Style::Bold, &column.label)], SIZE, width),
                align: Align::Right,
                slot: 0,
            })
            .collect();
        let mut groups = Vec::new();
        let mut c = 0;
        while c < table.columns.len() {
            if let Some(group) = &table.columns[c].group {
                let mut last = c;
                while last + 1 < table.columns.len()
                    && table.columns[last + 1].group.as_ref() == Some(group)
                {
                    last += 1;
                }
                let left = columns[c].0;
                let width = columns[last].0 + columns[last].1 - left;
                let cell = HeaderCell {
                    left,
                    width,
                    lines: flow.wrap(&[(Style::Bold, group)], SIZE, width),
                    align: Align::Center,
                    slot: 0,
                };
                groups.push((c, last, cell));
                c = last + 1;
            } else {
                c += 1;
            }
        }
        let group_height = if grouped { LEADING + 4.0 } else { 0.0 };
        let lines = head_columns
            .iter()
            .map(|h| h.lines.len())
            .chain([head_label.lines.len()])
            .max()
            .unwrap_or(1);
        let header_height = 2.0 * PAD + 2.0 + group_height + lines as f32 * LEADING;

        // tag tree of the header, in visual order; slots handed out in the same order
        let mut head_columns = head_columns;
        let mut first_row = vec![TagNode::group(
            Tag::TH(TableHeaderScope::Column).with_row_span(span(if grouped { 2 } else { 1 })),
            vec![TagNode::Slot(head_label.slot)],
        )];
        let mut second_row = Vec::new();
        let mut c = 0;
        while c < head_columns.len() {
            if let Some((_, last, cell)) = groups.iter_mut().find(|(first, _, _)| *first == c) {
                cell.slot = flow.slot();
                first_row.push(TagNode::group(
                    Tag::TH(TableHeaderScope::Column).with_col_span(span(*last - c + 1)),
                    vec![TagNode::Slot(cell.slot)],
                ));
                let last = *last;
                for column in head_columns.iter_mut().take(last + 1).skip(c) {
                    column.slot = flow.slot();
                    second_row.push(TagNode::group(
                        Tag::TH(TableHeaderScope::Column),
                        vec![TagNode::Slot(column.slot)],
                    ));
                }
                c = last + 1;
            } else {
                head_columns[c].slot = flow.slot();
                first_row.push(TagNode::group(
                    Tag::TH(TableHeaderScope::Column).with_row_span(span(if grouped {
                        2
                    } else {
                        1
                    })),
                    vec![TagNode::Slot(head_columns[c].slot)],
                ));
                c += 1;
            }
        }
        let mut head_rows = vec![TagNode::group(Tag::TR, first_row)];
        if !second_row.is_empty() {
            head_rows.push(TagNode::group(Tag::TR, second_row));
        }

        // rows
        let mut rows = Vec::new();
        let mut body = Vec::new();
        for row in &table.rows {
            let style = row_style(row.kind);
            let indent = if matches!(row.kind, RowKind::Part | RowKind::LineTotal) {
                INDENT
            } else {
                0.0
            };
            let mut runs = vec![(style, row.label.as_str())];
            if let Some(remark) = &row.remark {
                runs.push((Style::Italic, remark.as_str()));
            }
            let lines = flow.wrap(&runs, SIZE, label_width - indent);
            let label_slot = flow.slot();
            let mut tr = vec![TagNode::group(
                Tag::TH(TableHeaderScope::Row),
                vec![TagNode::Slot(label_slot)],
            )];
            let mut cells = Vec::new();
            for (c, column) in table.columns.iter().enumerate() {
                let cell = row.cells.get(c);
                match cell.and_then(|cell| amount_text(cell, column.cents).map(|t| (cell, t))) {
                    Some((cell, text)) => {
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
                    None => {
                        tr.push(TagNode::group(Tag::TD, Vec::new()));
                        cells.push(None);
                    }
                }
            }
            body.push(TagNode::group(Tag::TR, tr));
            rows.push(ReportRow {
                kind: row.kind,
                code: row.code.clone(),
                lines,
                label_slot,
                cells,
            });
        }
        let mut heights: Vec<f32> = rows
            .iter()
            .map(|r| {
                let extra = if r.kind == RowKind::Total { 3.0 } else { 0.0 };
                2.0 * PAD + r.lines.len().max(1) as f32 * LEADING + extra
            })
            .collect();
        let kinds: Vec<RowKind> = rows.iter().map(|r| r.kind).collect();
        let mut breaks = break_allowed(&kinds);

        // footnotes: one pseudo row, kept with the table's last rows
        let mut footnotes = Vec::new();
        let mut notes = Vec::new();
        for note in &table.footnotes {
            let marker_width = flow.width(Style::Regular, NOTE_SIZE, &note.marker) + 6.0;
            let lines = flow.wrap(
                &[(Style::Regular, &note.text)],
                NOTE_SIZE,
                CONTENT_WIDTH - marker_width.max(12.0),
            );
            let slot = flow.slot();
            notes.push(TagNode::group(Tag::Note, vec![TagNode::Slot(slot)]));
            footnotes.push((note.marker.clone(), lines, slot));
        }
        if !footnotes.is_empty() {
            let lines: usize = footnotes.iter().map(|(_, l, _)| l.len().max(1)).sum();
            heights.push(6.0 + lines as f32 * NOTE_LEADING + 3.0 * (footnotes.len() - 1) as f32);
            breaks.push(false);
        }

        let mut table_children = vec![TagNode::group(Tag::THead, head_rows)];
        table_children.push(TagNode::group(Tag::TBody, body));
        let mut tree = vec![TagNode::group(Tag::Table, table_children)];
        tree.extend(notes);
        let layout = ReportLayout {
            code_x: LEFT + CELL_PAD,
            label_x,
            columns,
            head_label,
            head_columns,
            groups,
            group_height,
            header_height,
            rows,
            footnotes,
            heights,
            breaks,
        };
        (layout, tree)
    }

    fn draw_footnotes(&self, flow: &mut Flow, top: f32) {
        let mut y = top + 6.0;
        for (marker, lines, slot) in &self.footnotes {
            let marker_width = (flow.width(Style::Regular, NOTE_SIZE, marker) + 6.0).max(12.0);
            flow.push(Op::Tagged(*slot));
            flow.text(
                LEFT,
                baseline(y, NOTE_SIZE, NOTE_LEADING),
                Style::Regular,
                NOTE_SIZE,
                colors::TEXT,
                &format!("{marker} "),
            );
            let n = lines.len();
            for (i, line) in lines.iter().enumerate() {
                let b = baseline(y, NOTE_SIZE, NOTE_LEADING);
                flow.draw_line(
                    line,
                    LEFT + marker_width,
                    b,
                    NOTE_SIZE,
                    colors::TEXT,
                    i + 1 < n,
                );
                y += NOTE_LEADING;
            }
            flow.push(Op::End);
            y += 3.0;
        }
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
        let bottom = top + self.header_height - PAD - 2.0;
        let mut rects = vec![
            rect(
                LEFT,
                top,
                CONTENT_WIDTH,
                self.header_height - 1.2,
                colors::HEADER_FILL,
            ),
            rect(
                LEFT,
                top + self.header_height - 1.2,
                CONTENT_WIDTH,
                1.2,
                colors::RULE,
            ),
        ];
        let mut pieces = vec![header_piece(flow, &self.head_label, bottom)];
        // visual order: group cells before their columns
        let mut c = 0;
        while c < self.head_columns.len() {
            if let Some((_, last, cell)) = self.groups.iter().find(|(first, _, _)| *first == c) {
                let group_bottom = top + PAD + self.group_height - 4.0;
                pieces.push(header_piece(flow, cell, group_bottom));
                rects.push(rect(
                    cell.left,
                    group_bottom + 1.5,
                    cell.width,
                    0.6,
                    colors::RULE,
                ));
                for column in &self.head_columns[c..=*last] {
                    pieces.push(header_piece(flow, column, bottom));
                }
                c = last + 1;
            } else {
                pieces.push(header_piece(flow, &self.head_columns[c], bottom));
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
            self.draw_footnotes(flow, top);
            return;
        };
        let height = self.heights[index];
        let text_top = top + PAD + if row.kind == RowKind::Total { 3.0 } else { 0.0 };
        // furniture: bands, rules, hairlines
        let mut rects = Vec::new();
        match row.kind {
            RowKind::ThemeHeading => {
                rects.push(rect(LEFT, top, CONTENT_WIDTH, height, colors::BAND_FILL))
            }
            RowKind::Total => {
                rects.push(rect(LEFT, top + 1.0, CONTENT_WIDTH, 1.2, colors::RULE));
                rects.push(rect(
                    LEFT,
                    top + height - 1.2,
                    CONTENT_WIDTH,
                    1.2,
                    colors::RULE,
                ));
            }
            RowKind::LineTotal | RowKind::Subtotal => {
                for &(left, width) in &self.columns {
                    rects.push(rect(left, top, width, 0.7, colors::TEXT));
                }
            }
            _ => {}
        }
        let next_attached = self.rows.get(index + 1).is_some_and(|r| {
            matches!(
                r.kind,
                RowKind::LineTotal | RowKind::Subtotal | RowKind::Total
            )
        });
        if !matches!(row.kind, RowKind::Total) && !next_attached {
            rects.push(rect(
                LEFT,
                top + height - 0.35,
                CONTENT_WIDTH,
                0.35,
                colors::HAIRLINE,
            ));
        }
        if row.kind == RowKind::Part {
            // a bullet before each part, as the werkplan prints them
            let b = baseline(text_top, SIZE, LEADING);
            flow.push(Op::Artifact(Furniture::Layout));
            flow.text(
                self.label_x + 1.0,
                b,
                Style::Regular,
                SIZE,
                colors::MUTED,
                "•",
            );
            flow.push(Op::End);
        }
        for (cell, &(left, width)) in row.cells.iter().zip(&self.columns) {
            if let Some(cell) = cell
                && cell.negative
            {
                rects.push(rect(
                    left - 3.0,
                    top + 1.5,
                    width + 6.0,
                    height - 3.0,
                    colors::NEGATIVE_FILL,
                ));
            }
        }
        if !rects.is_empty() {
            flow.push(Op::Artifact(Furniture::Layout));
            for op in rects {
                flow.push(op);
            }
            flow.push(Op::End);
        }

        // label cell: code and label in one tagged section
        let color = if row.kind == RowKind::Note {
            colors::MUTED
        } else {
            colors::TEXT
        };
        let indent = if matches!(row.kind, RowKind::Part | RowKind::LineTotal) {
            INDENT
        } else {
            0.0
        };
        flow.push(Op::Tagged(row.label_slot));
        if let Some(code) = &row.code {
            flow.text(
                self.code_x,
                baseline(text_top, SIZE, LEADING),
                Style::Regular,
                SIZE,
                colors::TEXT,
                &format!("{code} "),
            );
        }
        let n = row.lines.len();
        for (i, line) in row.lines.iter().enumerate() {
            let b = baseline(text_top + i as f32 * LEADING, SIZE, LEADING);
            flow.draw_line(line, self.label_x + indent, b, SIZE, color, i + 1 < n);
        }
        flow.push(Op::End);

        // amounts, right-aligned on the first line
        let b = baseline(text_top, SIZE, LEADING);
        for (cell, &(left, width)) in row.cells.iter().zip(&self.columns) {
            let Some(cell) = cell else { continue };
            let w = flow.width(cell.style, SIZE, &cell.text);
            let x = align_x(Align::Right, left, width, w);
            let color = if cell.negative {
                colors::NEGATIVE
            } else {
                colors::TEXT
            };
            flow.push(Op::Tagged(cell.slot));
            flow.text(x, b, cell.style, SIZE, color, &cell.text);
            flow.push(Op::End);
            if let Some((marker, slot)) = &cell.marker {
                flow.push(Op::Tagged(*slot));
                flow.text(
                    left + width + 0.8,
                    b - 2.5,
                    Style::Regular,
                    MARKER_SIZE,
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
    rows: Vec<Vec<GridLines>>,
    /// Per row: the height of the first line of cells.
    inline_heights: Vec<f32>,
    heights: Vec<f32>,
    breaks: Vec<bool>,
}

impl GridLayout {
    /// Prepares a simple table; returns it and its tag tree.
    pub(super) fn prepare(
        flow: &mut Flow,
        columns: &[GridColumn],
        rows: &[Vec<GridCell>],
    ) -> (GridLayout, TagNode) {
        let inline: Vec<&GridColumn> = columns.iter().filter(|c| !c.below).collect();
        let fixed: f32 = inline.iter().filter_map(|c| c.width).sum();
        let flexible = inline.iter().filter(|c| c.width.is_none()).count().max(1) as f32;
        let gaps = GAP * (inline.len().saturating_sub(1)) as f32;
        let rest = ((CONTENT_WIDTH - 2.0 * CELL_PAD - fixed - gaps) / flexible).max(40.0);
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
            place.width = RIGHT - CELL_PAD - below_left;
        }
        let mut head = Vec::new();
        let mut head_nodes = Vec::new();
        for (column, place) in columns.iter().zip(&places) {
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
        let mut laid_rows = Vec::new();
        let mut body = Vec::new();
        let mut heights = Vec::new();
        let mut inline_heights = Vec::new();
        for row in rows {
            let mut cells = Vec::new();
            let mut tr = Vec::new();
            let (mut most, mut below) = (1, 0);
            for (cell, place) in row.iter().zip(&places) {
                let lines = flow.wrap(&[(Style::Regular, &cell.text)], SIZE, place.width);
                if place.below {
                    below = below.max(lines.len());
                } else {
                    most = most.max(lines.len());
                }
                let slot = (!lines.is_empty()).then(|| flow.slot());
                tr.push(TagNode::group(
                    Tag::TD,
                    slot.map(TagNode::Slot).into_iter().collect(),
                ));
                cells.push((lines, cell.negative, slot));
            }
            let inline_height = PAD + most as f32 * LEADING;
            inline_heights.push(inline_height);
            let below_height = if below > 0 {
                BELOW_GAP + below as f32 * LEADING
            } else {
                0.0
            };
            heights.push(inline_height + PAD + below_height);
            body.push(TagNode::group(Tag::TR, tr));
            laid_rows.push(cells);
        }
        // a short table stays in one piece; a long one breaks between rows
        let short = heights.iter().sum::<f32>() < (BOTTOM - TOP) / 3.0;
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
            rows: laid_rows,
            inline_heights,
            heights,
            breaks,
        };
        (layout, tree)
    }
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
            rect(LEFT, top, CONTENT_WIDTH, height - 1.2, colors::HEADER_FILL),
            rect(LEFT, top + height - 1.2, CONTENT_WIDTH, 1.2, colors::RULE),
        ];
        let pieces: Vec<Piece> = self
            .head
            .iter()
            .zip(&self.columns)
            .map(|(cell, place)| {
                header_piece(flow, cell, if place.below { bottom } else { first_bottom })
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
            CONTENT_WIDTH,
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

/// The columns of the findings table: amount columns as wide as their widest figure, the
/// place takes the rest of the line, the message a line of its own below.
pub(super) fn finding_columns(flow: &Flow, rows: &[Vec<GridCell>]) -> Vec<GridColumn> {
    let widest = |index: usize, header: &str| -> f32 {
        let header = flow.width(Style::Bold, SIZE, header);
        rows.iter()
            .filter_map(|r| r.get(index))
            .map(|c| flow.width(Style::Regular, SIZE, &c.text))
            .fold(header, f32::max)
            .ceil()
    };
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
    fn theme_headings_keep_with_next_and_totals_with_previous() {
        use RowKind::*;
        let kinds = [
            ThemeHeading,
            Line,
            Line,
            ThemeHeading,
            Line,
            Part,
            Part,
            LineTotal,
            ThemeHeading,
            Note,
            Total,
        ];
        assert_eq!(
            break_allowed(&kinds),
            vec![
                true, false, true, true, false, false, false, false, true, false, false
            ]
        );
    }
}
