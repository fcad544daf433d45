//! Where a check's results go: the targets named by `--output` (format by
//! extension) or stdout, each a sink of the review that renders its format
//! into a temporary file beside the target and renames it into place when
//! complete, so that a killed run never leaves half a file; and the rule
//! that no output may be one of the run's inputs.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::diagnostic::FileError;
use crate::diagnostic::safe::sanitize_line;
use crate::render::{self, Begin, End, Format, Prepare};
use crate::review::Sink;

/// Where one rendering of the outcome goes: stdout (None) or a file.
pub type Target = (Option<PathBuf>, Format);

/// The targets of a check: every `--output` (`-` is stdout), else stdout
/// in `--format` (default human).
pub fn targets(outputs: &[PathBuf], format: Option<Format>) -> Result<Vec<Target>, FileError> {
    if outputs.is_empty() {
        return Ok(vec![(None, format.unwrap_or(Format::Human))]);
    }
    outputs
        .iter()
        .map(|p| {
            if p.as_os_str() == "-" {
                return Ok((None, format.unwrap_or(Format::Human)));
            }
            let format = Format::from_extension(p).or(format).ok_or_else(|| {
                FileError::whole(
                    "jixiao::usage",
                    &p.display().to_string(),
                    format!("无法从文件名 {} 判断输出格式", p.display()),
                    Some("用扩展名 .json .sarif .xml .md .html .xlsx .txt，或加 --format".into()),
                )
            })?;
            Ok((Some(p.clone()), format))
        })
        .collect()
}

/// Whether two paths name the same existing file: the same inode (so a
/// symbolic or hard link to a file is that file), or, where inodes are not
/// known, the same canonical path.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// An `--output` that would overwrite one of the run's inputs (or is
/// given twice): the error that stops the run before anything is written.
pub fn clash(targets: &[Target], inputs: &[PathBuf]) -> Option<FileError> {
    let files: Vec<&PathBuf> = targets.iter().filter_map(|(p, _)| p.as_ref()).collect();
    for (i, out) in files.iter().enumerate() {
        let shown = sanitize_line(&out.display().to_string()).into_owned();
        if let Some(input) = inputs.iter().find(|i| same_file(out, i)) {
            return Some(FileError::whole(
                "jixiao::usage",
                &shown,
                format!(
                    "输出文件 {shown} 就是输入文件 {}，不会覆盖",
                    sanitize_line(&input.display().to_string())
                ),
                Some("审核结果请写到另一个文件名，如 --output 审核意见.xlsx".into()),
            ));
        }
        if files[..i].iter().any(|o| o == out || same_file(o, out)) {
            return Some(FileError::whole(
                "jixiao::usage",
                &shown,
                format!("输出文件 {shown} 指定了两次"),
                None,
            ));
        }
    }
    None
}

/// A temporary name beside `path`, for a file written in full before it
/// takes its place.
pub fn temp_path(path: &Path) -> PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.jixiao-{}.tmp", std::process::id()))
}

/// The writer of a target: stdout, or a temporary file renamed over the
/// target when complete.
enum Writer {
    Stdout(io::BufWriter<io::Stdout>),
    File {
        /// None once closed.
        file: Option<io::BufWriter<std::fs::File>>,
        tmp: PathBuf,
        path: PathBuf,
        done: bool,
    },
}

impl Write for Writer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Writer::Stdout(w) => w.write(buf),
            Writer::File { file: Some(f), .. } => f.write(buf),
            Writer::File { file: None, .. } => Err(io::Error::other("文件已关闭")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Writer::Stdout(w) => w.flush(),
            Writer::File { file: Some(f), .. } => f.flush(),
            Writer::File { file: None, .. } => Ok(()),
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        // An unfinished file (an error part way) is not left behind.
        if let Writer::File { tmp, done, .. } = self
            && !*done
        {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// The folder beside an output file that a format may fill (the pages of
/// a split meeting pack, `审核意见_files/`): written under a temporary name,
/// and put in place with the file.
#[derive(Debug)]
struct Folder {
    /// The folder's name, beside the file.
    name: String,
    /// The file's own name.
    main: String,
    target: PathBuf,
    tmp: PathBuf,
    /// Whether anything was written into it.
    used: bool,
    /// How many files were written into it.
    pages: usize,
}

/// A [`Folder`] as the emitter fills it, shared with the output that puts
/// it in place.
struct Shared {
    folder: std::sync::Arc<std::sync::Mutex<Folder>>,
    name: String,
    main: String,
}

impl render::Beside for Shared {
    fn folder(&self) -> &str {
        &self.name
    }

    fn main_file(&self) -> &str {
        &self.main
    }

    fn write(
        &mut self,
        name: &str,
        bytes: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut folder = self
            .folder
            .lock()
            .map_err(|_| io::Error::other("分页文件夹不可用"))?;
        if !folder.used {
            std::fs::create_dir(&folder.tmp)?;
            folder.used = true;
        }
        let mut file = io::BufWriter::new(std::fs::File::create(folder.tmp.join(name))?);
        bytes(&mut file)?;
        folder.pages += 1;
        file.flush()
    }
}

impl Folder {
    fn beside(path: &Path) -> Folder {
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = format!("{stem}_files");
        let target = path.with_file_name(&name);
        Folder {
            main: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            tmp: temp_path(&target),
            target,
            name,
            used: false,
            pages: 0,
        }
    }

    /// Puts the folder in place, replacing one that an earlier run wrote
    /// (every file in it jixiao's); a folder of other files is left alone
    /// and is an error.
    fn finish(&mut self) -> io::Result<()> {
        if !self.used {
            return Ok(());
        }
        if self.target.exists() {
            let ours = std::fs::read_dir(&self.target)?
                .filter_map(|e| e.ok())
                .all(|e| crate::render::mark::is_own_output(&e.path()));
            if !ours {
                return Err(io::Error::other(format!(
                    "文件夹 {} 已存在，且其中有不是 jixiao 写出的文件，未覆盖",
                    sanitize_line(&self.target.display().to_string())
                )));
            }
            std::fs::remove_dir_all(&self.target)?;
        }
        std::fs::rename(&self.tmp, &self.target)?;
        self.used = false;
        Ok(())
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // An unfinished folder is not left behind.
        if self.used {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// One target being written, a sink of the review.
pub struct Output {
    pub target: Target,
    emitter: Box<dyn render::Emitter>,
    writer: Writer,
    folder: Option<std::sync::Arc<std::sync::Mutex<Folder>>>,
}

impl Output {
    /// Opens a target: its temporary file, or stdout (a binary format is
    /// not written to a terminal).
    pub fn open(target: &Target, color: bool) -> io::Result<Output> {
        let (path, format) = target;
        let writer = match path {
            None => {
                let stdout = io::stdout();
                if format.is_binary() && stdout.is_terminal() {
                    return Err(io::Error::other(
                        "xlsx 是二进制文件，请用 --output 文件名.xlsx 写入文件",
                    ));
                }
                Writer::Stdout(io::BufWriter::new(stdout))
            }
            Some(path) => {
                let tmp = temp_path(path);
                let file = std::fs::File::create(&tmp)?;
                Writer::File {
                    file: Some(io::BufWriter::new(file)),
                    tmp,
                    path: path.clone(),
                    done: false,
                }
            }
        };
        // Colour only on stdout.
        let options = render::Options {
            color: color && path.is_none(),
        };
        let mut emitter = render::emitter(*format, options);
        let folder = path.as_ref().map(|p| {
            let made = Folder::beside(p);
            let (name, main) = (made.name.clone(), made.main.clone());
            let folder = std::sync::Arc::new(std::sync::Mutex::new(made));
            emitter.beside(Box::new(Shared {
                folder: folder.clone(),
                name,
                main,
            }));
            folder
        });
        Ok(Output {
            target: target.clone(),
            emitter,
            writer,
            folder,
        })
    }

    /// Flushes and, for a file, moves it into place.
    fn finish(&mut self) -> io::Result<()> {
        self.writer.flush()?;
        if let Writer::File {
            file,
            tmp,
            path,
            done,
        } = &mut self.writer
        {
            // Close the file before it is renamed.
            drop(file.take());
            if let Some(folder) = &self.folder {
                folder
                    .lock()
                    .map_err(|_| io::Error::other("分页文件夹不可用"))?
                    .finish()?;
            }
            std::fs::rename(&*tmp, &*path)?;
            *done = true;
        }
        Ok(())
    }

    /// What was written, for the line that says so: the file, and the
    /// folder of pages beside it when the format filled one.
    pub fn written(&self) -> String {
        let name = self.name();
        let folder = self
            .folder
            .as_ref()
            .and_then(|f| f.lock().ok().map(|f| (f.name.clone(), f.pages)))
            .filter(|(_, pages)| *pages > 0);
        match folder {
            Some((dir, pages)) => format!("{name} 和 {dir}/（{pages} 页）"),
            None => name,
        }
    }

    /// What the target is called in messages.
    pub fn name(&self) -> String {
        self.target.0.as_ref().map_or("标准输出".into(), |p| {
            sanitize_line(&p.display().to_string()).into_owned()
        })
    }
}

impl Sink for Output {
    fn begin(&mut self, run: &Begin<'_>) -> io::Result<()> {
        self.emitter.begin(&mut self.writer, run)
    }

    fn preparer(&self) -> Option<Box<dyn Prepare>> {
        self.emitter.preparer()
    }

    fn report(
        &mut self,
        r: &crate::diagnostic::ReportOutcome,
        prepared: Vec<u8>,
    ) -> io::Result<()> {
        self.emitter.report(&mut self.writer, r, prepared)
    }

    fn end(&mut self, end: &End<'_>) -> io::Result<()> {
        self.emitter.end(&mut self.writer, end)?;
        self.finish()
    }
}

/// Says that writing to a target failed; returns the exit code (a closed
/// pipe, `jixiao check … | head`, is no failure).
pub fn write_error(name: &str, e: &io::Error) -> i32 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return 0;
    }
    tell!("错误：写出结果到 {name} 失败：{e}");
    2
}
