//! `jixiao cache dir|clean`, and the findings cache a check opens.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::diagnostic::safe::sanitize_line;

#[derive(Subcommand, Debug)]
pub enum CacheCommand {
    /// 显示缓存目录
    Dir(CacheArgs),
    /// 删除缓存目录及其中的全部内容
    Clean(CacheArgs),
}

/// Where the findings cache is.
#[derive(Args, Debug, Clone, Default)]
pub struct CacheArgs {
    /// 检查结果缓存目录（默认为 $JIXIAO_CACHE_DIR，或用户缓存目录下的 jixiao）
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

impl CacheArgs {
    fn dir(&self) -> Option<PathBuf> {
        self.cache_dir.clone().or_else(crate::cache::default_dir)
    }
}

pub fn run(cmd: CacheCommand) -> i32 {
    match cmd {
        CacheCommand::Dir(c) => match c.dir() {
            Some(d) => {
                say!("{}", d.display());
                0
            }
            None => {
                tell!("{NO_CACHE_DIR}");
                2
            }
        },
        CacheCommand::Clean(c) => clean(&c),
    }
}

const NO_CACHE_DIR: &str = "错误：找不到用户缓存目录；请用 --cache-dir 或 JIXIAO_CACHE_DIR 指定";

/// The findings cache a check uses, unless `--no-cache`; a cache that
/// cannot be opened, or whose key cannot be read or made, is a warning,
/// and the check runs without it.
pub fn open(args: &CacheArgs, off: bool) -> Option<std::sync::Arc<crate::cache::Cache>> {
    if off {
        return None;
    }
    let dir = args.dir()?;
    let opened = crate::cache::key_file()
        .ok_or_else(|| std::io::Error::other("找不到用户配置目录，无法保存缓存密钥"))
        .and_then(|file| {
            let inside = file
                .parent()
                .zip(dir.canonicalize().ok())
                .is_some_and(|(p, d)| p.canonicalize().is_ok_and(|p| p.starts_with(&d)));
            if inside {
                return Err(std::io::Error::other(format!(
                    "缓存密钥 {} 在缓存目录之内",
                    file.display()
                )));
            }
            crate::cache::load_key(&file)
        })
        .and_then(|key| crate::cache::Cache::open(&dir, key));
    match opened {
        Ok(c) => Some(std::sync::Arc::new(c)),
        Err(e) => {
            tell!(
                "警告：无法使用检查结果缓存目录 {}：{e}；本次不使用缓存",
                sanitize_line(&dir.display().to_string())
            );
            None
        }
    }
}

/// `jixiao cache clean`: removes the cache directory, only if it is one
/// (it holds the `CACHEDIR.TAG` jixiao writes), so that a mistyped
/// `--cache-dir` never deletes anything else.
fn clean(args: &CacheArgs) -> i32 {
    let Some(dir) = args.dir() else {
        tell!("{NO_CACHE_DIR}");
        return 2;
    };
    if !dir.exists() {
        say!("缓存目录 {} 不存在，无需清除", dir.display());
        return 0;
    }
    if !crate::cache::is_cache(&dir) {
        tell!(
            "错误：{} 不是 jixiao 的缓存目录（其中没有 CACHEDIR.TAG），未删除",
            dir.display()
        );
        return 2;
    }
    match std::fs::remove_dir_all(&dir) {
        Ok(()) => {
            say!("已删除缓存目录 {}", dir.display());
            0
        }
        Err(e) => {
            tell!("错误：无法删除缓存目录 {}：{e}", dir.display());
            2
        }
    }
}
