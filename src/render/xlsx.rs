//! The Excel output (rust_xlsxwriter): a 审核意见表 sheet with one row per
//! finding, filters and a frozen header, and a 汇总 sheet with counts per
//! report and per rule. The workbook's dates are fixed so that the same
//! check gives the same bytes.

use std::io::{self, Write};

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::{kind_zh, rule, status_zh};
use crate::diagnostic::{Baseline, Counts, Outcome, ReportOutcome, RuleInfo, Summary};

/// A font that Excel and WPS both have for Chinese text.
const FONT: &str = "等线";

/// The most an Excel cell holds, in UTF-16 code units.
const CELL_LIMIT: usize = 32_767;

/// What a cell too long for Excel ends with instead of the rest.
const CUT: &str = "…（已截断，全文见 JSON/HTML）";

/// A text as a cell can hold it: whole, or cut with [`CUT`] at its end.
fn fit(text: &str) -> std::borrow::Cow<'_, str> {
    let units = |s: &str| s.encode_utf16().count();
    if units(text) <= CELL_LIMIT {
        return std::borrow::Cow::Borrowed(text);
    }
    let room = CELL_LIMIT - units(CUT);
    let mut used = 0;
    let end = text
        .char_indices()
        .find(|(_, c)| {
            used += c.len_utf16();
            used > room
        })
        .map_or(text.len(), |(i, _)| i);
    std::borrow::Cow::Owned(format!("{}{CUT}", &text[..end]))
}

/// Writes a text cell, cut to what Excel holds.
fn put(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, col, fit(text), format)?;
    Ok(())
}

fn header(sheet: &mut Worksheet, titles: &[&str], widths: &[f64]) -> Result<(), XlsxError> {
    let bold = Format::new()
        .set_bold()
        .set_font_name(FONT)
        .set_background_color("#D9E1F2")
        .set_border(FormatBorder::Thin);
    for (c, (t, w)) in titles.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *t, &bold)?;
        sheet.set_column_width(c as u16, *w)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn counts(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    c: Counts,
    f: &Format,
) -> Result<(), XlsxError> {
    sheet.write_number_with_format(row, col, c.error as f64, f)?;
    sheet.write_number_with_format(row, col + 1, c.warning as f64, f)?;
    sheet.write_number_with_format(row, col + 2, c.advice as f64, f)?;
    Ok(())
}

/// What the 汇总 sheet shows of a report.
struct Row {
    path: String,
    department: String,
    year: Option<i64>,
    kind: &'static str,
    status: &'static str,
    counts: Counts,
}

/// The 审核意见表 workbook: the findings sheet is a constant-memory sheet
/// (rust_xlsxwriter writes its rows out as they come), and the 汇总 sheet,
/// which needs the whole batch, is written at the end from one small row
/// per report.
#[derive(Default)]
pub struct Emitter {
    book: Option<Workbook>,
    rules: Vec<RuleInfo>,
    compared: bool,
    /// The next row of the findings sheet.
    row: u32,
    columns: u16,
    reports: Vec<Row>,
}

fn text_format() -> Format {
    Format::new().set_font_name(FONT).set_text_wrap()
}

impl Emitter {
    fn begin_book(&mut self) -> Result<(), XlsxError> {
        let mut book = Workbook::new();
        let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
        book.set_properties(
            &DocProperties::new()
                .set_title("绩效自评报告审核意见")
                .set_custom_property(super::mark::PROPERTY, super::mark::GENERATOR)
                .set_creation_datetime(&created),
        );
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("审核意见表")?;
        let mut titles = vec![
            "单位",
            "报告",
            "规则",
            "级别",
            "问题描述",
            "位置",
            "数据路径",
            "豁免说明",
        ];
        let mut widths = vec![18.0, 36.0, 30.0, 8.0, 60.0, 10.0, 26.0, 30.0];
        if self.compared {
            titles.push("整改情况");
            widths.push(10.0);
        }
        header(sheet, &titles, &widths)?;
        self.columns = titles.len() as u16;
        self.row = 1;
        self.book = Some(book);
        Ok(())
    }

    fn add(&mut self, r: &ReportOutcome) -> Result<(), XlsxError> {
        let text = text_format();
        let Some(book) = self.book.as_mut() else {
            return Ok(());
        };
        let sheet = book.worksheet_from_index(0)?;
        let unit = r.meta.as_ref().map_or("", |m| m.department.as_str());
        for f in &r.findings {
            let l = &f.labels[0];
            let title = rule(&self.rules, &f.rule)
                .map(|i| format!("{} {}", f.rule, i.title))
                .unwrap_or_else(|| f.rule.clone());
            let message = match &f.help {
                Some(h) => format!("{}\n提示：{h}", f.message),
                None => f.message.clone(),
            };
            let waived = f
                .waived
                .as_ref()
                .map_or(String::new(), |w| format!("{}{}", w.reason, w.approver()));
            let cells = [
                unit,
                &r.path,
                &title,
                f.severity.zh(),
                &message,
                &super::place(l),
                &l.path,
                &waived,
            ];
            for (c, v) in cells.iter().enumerate() {
                put(sheet, self.row, c as u16, v, &text)?;
            }
            if self.compared {
                put(
                    sheet,
                    self.row,
                    8,
                    f.baseline.map_or("", Baseline::zh),
                    &text,
                )?;
            }
            self.row += 1;
        }
        for fixed in r.fixed.iter() {
            let cells = [
                unit,
                &r.path,
                &fixed.rule,
                "",
                &fixed.message,
                "",
                &fixed.path,
                "",
            ];
            for (c, v) in cells.iter().enumerate() {
                put(sheet, self.row, c as u16, v, &text)?;
            }
            put(sheet, self.row, 8, "已整改", &text)?;
            self.row += 1;
        }
        let m = r.meta.as_ref();
        self.reports.push(Row {
            path: r.path.clone(),
            department: m.map_or(String::new(), |m| m.department.clone()),
            year: m.map(|m| m.year),
            kind: kind_zh(r),
            status: status_zh(r.status()),
            counts: r.counts(),
        });
        Ok(())
    }

    /// Writes the 汇总 sheet and the workbook into `file` (a temporary
    /// file: the workbook is zipped there, not in memory).
    fn finish(&mut self, summary: &Summary, file: &mut std::fs::File) -> Result<(), XlsxError> {
        let text = text_format();
        let Some(mut book) = self.book.take() else {
            return Ok(());
        };
        let sheet = book.worksheet_from_index(0)?;
        sheet.autofilter(0, 0, self.row.max(1) - 1, self.columns - 1)?;
        // Written row by row like the findings sheet: its rows come in order.
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("汇总")?;
        header(
            sheet,
            &[
                "报告", "单位", "年度", "类型", "状态", "错误", "警告", "建议",
            ],
            &[36.0, 18.0, 8.0, 10.0, 8.0, 8.0, 8.0, 8.0],
        )?;
        let mut row = 1u32;
        for r in &self.reports {
            put(sheet, row, 0, &r.path, &text)?;
            put(sheet, row, 1, &r.department, &text)?;
            match r.year {
                Some(y) => sheet.write_number_with_format(row, 2, y as f64, &text)?,
                None => sheet.write_string_with_format(row, 2, "", &text)?,
            };
            put(sheet, row, 3, r.kind, &text)?;
            put(sheet, row, 4, r.status, &text)?;
            counts(sheet, row, 5, r.counts, &text)?;
            row += 1;
        }
        row += 1;
        let bold = Format::new().set_bold().set_font_name(FONT);
        for (c, t) in ["规则", "标题", "", "", "", "错误", "警告", "建议"]
            .iter()
            .enumerate()
        {
            sheet.write_string_with_format(row, c as u16, *t, &bold)?;
        }
        row += 1;
        for (id, c) in &summary.rules {
            put(sheet, row, 0, id, &text)?;
            put(
                sheet,
                row,
                1,
                rule(&self.rules, id).map_or("", |i| i.title.as_str()),
                &text,
            )?;
            counts(sheet, row, 5, *c, &text)?;
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "合计", &bold)?;
        counts(sheet, row, 5, summary.findings, &bold)?;
        book.save_to_writer(file)
    }
}

impl super::Emitter for Emitter {
    fn begin(&mut self, _: &mut dyn Write, run: &super::Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        self.compared = run.compared;
        self.begin_book().map_err(io::Error::other)
    }

    fn report(&mut self, _: &mut dyn Write, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        self.add(r).map_err(io::Error::other)
    }

    fn end(&mut self, w: &mut dyn Write, end: &super::End<'_>) -> io::Result<()> {
        use std::io::{Seek, SeekFrom};
        let mut file = super::spool::Spool::temp_file()?;
        self.finish(end.summary, &mut file)
            .map_err(io::Error::other)?;
        file.seek(SeekFrom::Start(0))?;
        io::copy(&mut file, w)?;
        Ok(())
    }
}

/// Writes the outcome as an .xlsx workbook.
pub fn render(outcome: &Outcome, w: &mut dyn Write) -> io::Result<()> {
    super::write_outcome(&mut Emitter::default(), outcome, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_what_a_cell_holds() {
        assert_eq!(fit("短"), "短");
        // "𠀀" is two UTF-16 units: the cut counts units, not characters.
        for unit in ["字", "𠀀", "a"] {
            let long = unit.repeat(40_000);
            let cut = fit(&long);
            let units = cut.encode_utf16().count();
            assert!(
                units <= CELL_LIMIT && units > CELL_LIMIT - 2,
                "{unit}: {units}"
            );
            assert!(cut.ends_with(CUT));
        }
    }
}
