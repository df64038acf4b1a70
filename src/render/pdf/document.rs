//! Document: the order and typography of the two editions. The publication: the chapter
//! text, each table with its title, footnotes and chart. The control report: the Controle
//! text, the findings table (only when there are findings) and the source files with their
//! SHA-256.

use krilla::tagging::{ListNumbering, Tag};

use super::chart;
use super::emit::{Laid, heading_tag};
use super::fonts::{Fonts, Style};
use super::layout::{
    Align, CONTENT_WIDTH, Flow, LEFT, Op, Orientation, OutlineEntry, TOP, TagNode, baseline, colors,
};
use super::tables::{self, GridCell, GridColumn, GridLayout, ReportLayout};
use crate::model::SourceFile;
use crate::render::changes::ChangesControl;
use crate::render::{Appendix, Block, Control};

/// Body text size.
const BODY_SIZE: f32 = 9.5;
/// Body line height.
const BODY_LEADING: f32 = 13.5;
/// Space after a paragraph.
const PARAGRAPH_GAP: f32 = 6.0;
/// Indent of bullet text.
const BULLET_INDENT: f32 = 14.0;

/// Heading typography: size, line height, space before, space after.
fn heading_metrics(level: u16) -> (f32, f32, f32, f32) {
    match level {
        1 => (20.0, 26.0, 22.0, 10.0),
        _ => (12.5, 17.0, 16.0, 5.0),
    }
}

/// A heading's lines on the current page: wrapped to its width, and at most a third of a
/// page (a longer one is clipped with an ellipsis).
fn heading_lines(flow: &Flow, level: u16, text: &str) -> Vec<super::layout::Line> {
    let (size, leading, _, _) = heading_metrics(level);
    let geometry = flow.geometry();
    let lines = flow.wrap(&[(Style::Bold, text)], size, geometry.content_width);
    let max = ((geometry.bottom - TOP) / 3.0 / leading).floor() as usize;
    flow.clip(lines, max, size, geometry.content_width)
}

/// The height a heading takes, spacing included.
fn heading_height(flow: &Flow, level: u16, text: &str) -> f32 {
    let (_, leading, before, after) = heading_metrics(level);
    let lines = heading_lines(flow, level, text).len().max(1);
    let before = if flow.at_page_top() { 0.0 } else { before };
    before + lines as f32 * leading + after
}

/// Places a heading, kept with `keep` points of what follows.
fn heading(flow: &mut Flow, level: u16, text: &str, keep: f32) {
    let (size, leading, before, after) = heading_metrics(level);
    flow.ensure(heading_height(flow, level, text) + keep);
    flow.space(before);
    let lines = heading_lines(flow, level, text);
    let slot = flow.slot();
    let top = flow.y;
    flow.outline.push(OutlineEntry {
        level,
        title: text.to_string(),
        page: flow.page(),
        y: top,
    });
    flow.push(Op::Tagged(slot));
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let b = baseline(flow.y, size, leading);
        flow.draw_line(line, LEFT, b, size, colors::HEADING, i + 1 < n);
        flow.y += leading;
    }
    flow.push(Op::End);
    if level == 1 {
        flow.decoration(LEFT, flow.y + 2.0, 48.0, 2.0, colors::RULE);
        flow.y += 4.0;
    }
    flow.y += after;
    flow.tree.push(TagNode::group(
        heading_tag(level, text),
        vec![TagNode::Slot(slot)],
    ));
}

/// Places wrapped lines of one slot from `x`, across pages if needed; at least `orphans`
/// lines stay together at the start.
fn lines_block(
    flow: &mut Flow,
    slot: usize,
    lines: &[super::layout::Line],
    x: f32,
    size: f32,
    leading: f32,
    color: super::layout::Rgb,
) {
    let orphans = lines.len().min(2) as f32;
    flow.ensure(orphans * leading);
    flow.push(Op::Tagged(slot));
    let n = lines.len();
    for (i, line) in lines.iter().enumerate() {
        if flow.remaining() < leading - 0.01 {
            flow.push(Op::End);
            flow.new_page();
            flow.push(Op::Tagged(slot));
        }
        let b = baseline(flow.y, size, leading);
        flow.draw_line(line, x, b, size, color, i + 1 < n);
        flow.y += leading;
    }
    flow.push(Op::End);
}

/// A paragraph of body text.
fn paragraph(flow: &mut Flow, text: &str) {
    let lines = flow.wrap(&[(Style::Regular, text)], BODY_SIZE, CONTENT_WIDTH);
    let slot = flow.slot();
    lines_block(
        flow,
        slot,
        &lines,
        LEFT,
        BODY_SIZE,
        BODY_LEADING,
        colors::TEXT,
    );
    flow.y += PARAGRAPH_GAP;
    flow.tree.push(TagNode::paragraph(slot));
}

/// A bulleted list.
fn bullets(flow: &mut Flow, items: &[&str]) {
    let mut list = Vec::new();
    for item in items {
        let lines = flow.wrap(
            &[(Style::Regular, item)],
            BODY_SIZE,
            CONTENT_WIDTH - BULLET_INDENT,
        );
        flow.ensure(lines.len().min(2) as f32 * BODY_LEADING);
        let label = flow.slot();
        let body = flow.slot();
        flow.push(Op::Tagged(label));
        flow.text(
            LEFT + 3.0,
            baseline(flow.y, BODY_SIZE, BODY_LEADING),
            Style::Regular,
            BODY_SIZE,
            colors::HEADING,
            "•",
        );
        flow.push(Op::End);
        lines_block(
            flow,
            body,
            &lines,
            LEFT + BULLET_INDENT,
            BODY_SIZE,
            BODY_LEADING,
            colors::TEXT,
        );
        flow.y += 3.0;
        list.push(TagNode::group(
            Tag::LI,
            vec![
                TagNode::group(Tag::Lbl, vec![TagNode::Slot(label)]),
                TagNode::group(Tag::LBody, vec![TagNode::Slot(body)]),
            ],
        ));
    }
    flow.y += PARAGRAPH_GAP - 3.0;
    flow.tree
        .push(TagNode::group(Tag::L(ListNumbering::Disc), list));
}

/// The rendered text blocks: headings, paragraphs, lists of consecutive bullets.
fn blocks(flow: &mut Flow, blocks: &[Block]) {
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Chapter(text) => heading(flow, 1, text, 3.0 * BODY_LEADING),
            Block::Section(text) => heading(flow, 2, text, 3.0 * BODY_LEADING),
            Block::Paragraph(text) => paragraph(flow, text),
            Block::Bullet(_) => {
                let mut items = Vec::new();
                while let Some(Block::Bullet(text)) = blocks.get(i) {
                    items.push(text.as_str());
                    i += 1;
                }
                bullets(flow, &items);
                continue;
            }
        }
        i += 1;
    }
}

/// A chart; a realisation chart with its figures as a table under it.
fn place_chart(flow: &mut Flow, chart: &crate::render::Chart, figure: usize) {
    let nodes = chart::place(flow, chart, figure);
    flow.tree.extend(nodes);
    if chart.kind == crate::render::chart::ChartKind::PerMonth {
        let (columns, rows) = tables::chart_grid(flow, chart);
        let (layout, tree) = GridLayout::prepare(flow, &columns, &rows);
        tables::keep_start(flow, &layout, 0.0);
        tables::place(flow, &layout, &format!("{} (vervolg)", chart.title));
        flow.tree.push(tree);
        flow.y += 14.0;
    }
}

/// Lays out the publication: the chapter text, the tables and the charts; nothing of the
/// control.
pub(super) fn lay_out(appendix: &Appendix, fonts: &Fonts) -> Laid {
    let mut flow = Flow::new(fonts);
    blocks(&mut flow, &appendix.intro);

    let mut figure = 0;
    let mut charts_done = vec![false; appendix.charts.len()];
    for table in &appendix.tables {
        place_table(&mut flow, table);
        if let Some(c) = appendix
            .charts
            .iter()
            .position(|c| c.instrument == table.instrument)
        {
            if let Some(done) = charts_done.get_mut(c) {
                *done = true;
            }
            figure += 1;
            flow.set_orientation(Orientation::Portrait);
            place_chart(&mut flow, &appendix.charts[c], figure);
        }
    }
    flow.set_orientation(Orientation::Portrait);
    for (chart, done) in appendix.charts.iter().zip(charts_done) {
        if !done {
            figure += 1;
            place_chart(&mut flow, chart, figure);
        }
    }
    if let Some(section) = &appendix.changes {
        blocks(&mut flow, &section.text);
        for table in &section.tables {
            place_table(&mut flow, table);
        }
        flow.set_orientation(Orientation::Portrait);
    }

    finish(flow)
}

/// A report table with its title (H2): set smaller, then on landscape pages, when too wide
/// for portrait.
fn place_table(flow: &mut Flow, table: &crate::render::ReportTable) {
    let fit = tables::fit(flow, table);
    flow.set_orientation(fit.orientation);
    for part in tables::parts(table, &fit) {
        let (layout, tree) = ReportLayout::prepare(flow, &part, &fit);
        let lead = heading_height(flow, 2, &part.title);
        tables::keep_start(flow, &layout, lead);
        heading(flow, 2, &part.title, 0.0);
        tables::place(flow, &layout, &format!("{} (vervolg)", part.title));
        flow.tree.extend(tree);
        flow.y += 14.0;
    }
}

/// Lays out the control report: the Controle text (title, counts, what the peildatum left
/// out), the findings table and the sources.
pub(super) fn lay_out_control(control: &Control, fonts: &Fonts) -> Laid {
    let mut flow = Flow::new(fonts);
    blocks(&mut flow, &control.text);
    if !control.findings.is_empty() {
        findings_grid(&mut flow, "Bevindingen", &control.findings);
    }
    if let Some(changes) = &control.changes {
        changes_control(&mut flow, changes);
    }
    if !control.sources.is_empty() {
        let rows = source_rows(&control.sources);
        let columns = [
            GridColumn {
                header: "Bestand".to_string(),
                align: Align::Left,
                width: None,
                below: false,
            },
            GridColumn {
                header: "SHA-256".to_string(),
                align: Align::Left,
                width: Some(tables::widest(&flow, &rows, 1, "SHA-256")),
                below: false,
            },
        ];
        let (layout, tree) = GridLayout::prepare(&mut flow, &columns, &rows);
        let lead = heading_height(&flow, 2, "Bronbestanden");
        tables::keep_start(&mut flow, &layout, lead);
        heading(&mut flow, 2, "Bronbestanden", 0.0);
        tables::place(&mut flow, &layout, "Bronbestanden (vervolg)");
        flow.tree.push(tree);
    }
    finish(flow)
}

/// A table of findings under its heading (H2).
fn findings_grid(flow: &mut Flow, title: &str, findings: &[crate::model::Finding]) {
    let rows = tables::finding_rows(findings);
    let columns = tables::finding_columns(flow, &rows);
    grid(flow, title, &columns, &rows);
    flow.y += 10.0;
}

/// A simple table under its heading (H2), kept with it.
fn grid(flow: &mut Flow, title: &str, columns: &[GridColumn], rows: &[Vec<GridCell>]) {
    let (layout, tree) = GridLayout::prepare(flow, columns, rows);
    let lead = heading_height(flow, 2, title);
    tables::keep_start(flow, &layout, lead);
    heading(flow, 2, title, 0.0);
    tables::place(flow, &layout, &format!("{title} (vervolg)"));
    flow.tree.push(tree);
}

/// The control report's part of the actualisatie: the findings new and gone since the basis
/// and the source cell of each changed figure; a sentence where there are none.
fn changes_control(flow: &mut Flow, changes: &ChangesControl) {
    let new_title = format!("Nieuwe bevindingen sinds {}", changes.basis);
    let gone_title = format!("Vervallen bevindingen sinds {}", changes.basis);
    for (title, findings) in [
        (&new_title, &changes.new_findings),
        (&gone_title, &changes.gone_findings),
    ] {
        if findings.is_empty() {
            heading(flow, 2, title, BODY_LEADING);
            paragraph(flow, "Geen.");
        } else {
            findings_grid(flow, title, findings);
        }
    }
    let title = "Herkomst van de gewijzigde bedragen";
    if changes.places.is_empty() {
        heading(flow, 2, title, BODY_LEADING);
        paragraph(flow, "Geen gewijzigd bedrag is uit een cel gelezen.");
        return;
    }
    let cell = |text: String| GridCell {
        text,
        negative: false,
    };
    let rows: Vec<Vec<GridCell>> = changes
        .places
        .iter()
        .map(|p| {
            vec![
                cell(p.instrument.clone()),
                cell(p.line.clone()),
                cell(p.figure.clone()),
                GridCell {
                    text: p.after.map(|m| m.to_dutch()).unwrap_or_default(),
                    negative: p.after.is_some_and(|m| m.is_negative()),
                },
                cell(p.place.to_string()),
            ]
        })
        .collect();
    let column = |header: &str, align, width| GridColumn {
        header: header.to_string(),
        align,
        width,
        below: false,
    };
    let columns = [
        column(
            "Instrument",
            Align::Left,
            Some(tables::widest(flow, &rows, 0, "Instrument")),
        ),
        column("Regel", Align::Left, None),
        column(
            "Bedrag",
            Align::Left,
            Some(tables::widest(flow, &rows, 2, "Bedrag")),
        ),
        column(
            "Nu",
            Align::Right,
            Some(tables::widest(flow, &rows, 3, "Nu")),
        ),
        GridColumn {
            below: true,
            ..column("Plaats", Align::Left, None)
        },
    ];
    grid(flow, title, &columns, &rows);
    flow.y += 10.0;
}

/// The sources table's rows: the file's name in the input folder and its SHA-256.
fn source_rows(sources: &[SourceFile]) -> Vec<Vec<GridCell>> {
    let cell = |text: &str| GridCell {
        text: text.to_string(),
        negative: false,
    };
    sources
        .iter()
        .map(|s| vec![cell(&s.path), cell(&s.sha256)])
        .collect()
}

/// The laid-out pages, tag tree and outline of a finished flow.
fn finish(flow: Flow) -> Laid {
    let slots = flow.slot_count();
    Laid {
        pages: flow.pages,
        tree: flow.tree,
        outline: flow.outline,
        slots,
    }
}
