//! `--output 整改通知/`: a folder that receives one 整改通知 (.docx) per
//! report as the review goes. Each is written under a temporary name and
//! renamed into place; a file of that name that jixiao did not write (a
//! submission, say) is never replaced — the notice takes the next free
//! name instead; one jixiao wrote on an earlier run is.

use std::collections::BTreeSet;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::safe::sanitize_line;
use crate::diagnostic::{ReportOutcome, RuleInfo};
use crate::render::{Begin, End, mark, notice};
use crate::review::Sink;

/// Whether an `--output` names a folder of notices: it ends with a path
/// separator or is a folder already.
pub fn is_folder(p: &Path) -> bool {
    let s = p.as_os_str().to_string_lossy();
    s.ends_with('/') || s.ends_with(std::path::MAIN_SEPARATOR) || p.is_dir()
}

/// A folder being filled with notices, a sink of the review.
pub struct Notices {
    dir: PathBuf,
    rules: Vec<RuleInfo>,
    /// The names given this run.
    taken: BTreeSet<String>,
    pub written: usize,
}

impl Notices {
    pub fn new(dir: &Path) -> Notices {
        Notices {
            dir: dir.to_path_buf(),
            rules: Vec::new(),
            taken: BTreeSet::new(),
            written: 0,
        }
    }

    /// What the folder is called in messages.
    pub fn name(&self) -> String {
        let shown = self.dir.display().to_string();
        let shown = shown.trim_end_matches(['/', std::path::MAIN_SEPARATOR]);
        format!("{}/", sanitize_line(shown))
    }

    /// A name for the notice `wanted` that no other notice of this run has
    /// and that is free or jixiao's own: `…-整改通知.docx`, else
    /// `…-整改通知（2）.docx` and so on.
    fn free_name(&mut self, wanted: &str) -> String {
        let (dir, taken) = (&self.dir, &mut self.taken);
        notice::first_free(wanted, |name| {
            let path = dir.join(name);
            (!path.exists() || mark::is_own_output(&path)) && taken.insert(name.to_string())
        })
    }
}

impl Sink for Notices {
    fn begin(&mut self, run: &Begin<'_>) -> io::Result<()> {
        self.rules = run.rules.to_vec();
        std::fs::create_dir_all(&self.dir)
    }

    fn report(&mut self, r: &ReportOutcome, _: Vec<u8>) -> io::Result<()> {
        let name = self.free_name(&notice::file_name(r));
        let path = self.dir.join(&name);
        let tmp = super::output::temp_path(&path);
        let written = (|| {
            let mut file = io::BufWriter::new(std::fs::File::create(&tmp)?);
            notice::write(r, &self.rules, &mut file)?;
            file.flush()?;
            drop(file);
            std::fs::rename(&tmp, &path)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written?;
        self.written += 1;
        Ok(())
    }

    fn end(&mut self, _: &End<'_>) -> io::Result<()> {
        Ok(())
    }
}
