//! Writing the command's outputs without ever destroying data (part of the binary).
//!
//! The rules, the same for every command (the README states them):
//! - **No output overwrites an input.** Before anything is written, every path a run
//!   would write is compared with the run's input files by device and inode (so another
//!   spelling, a symlink or a hard link of an input is caught too); a match refuses the
//!   run with one line naming the file ([`Inputs::check`]).
//! - **A regular file is replaced atomically**: a temporary file in the same folder,
//!   created with the usual permissions (0666 minus the umask) or with the mode, owner
//!   and group of the file it replaces, written, flushed to disk, then renamed over the
//!   target. A failed run leaves the previous file as it was.
//! - **A symlink stays**: the file it points to is replaced (beside that file).
//! - **Anything else is written to, never replaced**: `/dev/null`, a FIFO, a terminal.
//! - **The output's folder must exist.** yakkan creates no missing parent folder (a typo
//!   in a path fails instead of making a tree); a folder output (`parse DIR -o OUT`,
//!   `site -o OUT`) creates OUT itself and what goes inside it.
//! - **Errors name the user's path**, never a temporary one.
//! - **No temporary file outlives its run.** Temporary files are named
//!   `.yakkan-PID-N.tmp` and held under an advisory lock (`flock`) while they are
//!   written; SIGINT, SIGTERM and SIGHUP remove them (and temporary folders registered
//!   with [`register`]) before the process exits; and the first write into a folder
//!   removes the `.yakkan-*.tmp` files there whose lock nobody holds, left by a run that
//!   was killed outright (SIGKILL) or crashed.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};

/// Temporary files and folders of this process, removed if a signal ends it.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Set once a signal is ending the process: no write may start after it. Each write
/// into a temporary place holds a read lock ([`guarded`]); the signal handler takes the
/// write lock, so it waits for writes in flight, and removes the temporaries only when
/// no worker can create anything in them any more.
static STOPPING: RwLock<bool> = RwLock::new(false);

/// Folders whose stale temporary files this process has already removed.
static CLEANED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);

/// Removes the registered temporary files and folders when SIGINT, SIGTERM or SIGHUP
/// arrives, then exits with 128 + the signal's number, as a shell reports it.
pub fn remove_temporaries_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let mut stopping = STOPPING.write().unwrap_or_else(|e| e.into_inner());
            *stopping = true;
            let live = std::mem::take(&mut *LIVE.lock().unwrap_or_else(|e| e.into_inner()));
            for path in live.iter().rev() {
                remove(path);
            }
            std::process::exit(128 + sig);
        }
    });
}

/// Runs a write into a temporary place, unless a signal is ending the process (then
/// nothing is written and the error says so).
pub fn guarded<T>(write: impl FnOnce() -> io::Result<T>) -> io::Result<T> {
    let stopping = STOPPING.read().unwrap_or_else(|e| e.into_inner());
    if *stopping {
        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
    }
    write()
}

/// Removes a file or a folder tree, trying again when workers still add files to it.
pub fn remove(path: &Path) {
    for _ in 0..3 {
        let r = match fs::symlink_metadata(path) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(path),
            Ok(_) => fs::remove_file(path),
            Err(_) => return,
        };
        if r.is_ok() {
            return;
        }
    }
}

/// Registers a temporary path to be removed if a signal ends the process.
pub fn register(path: &Path) {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(path.to_path_buf());
}

/// The path is no longer temporary (renamed into place, or removed).
pub fn unregister(path: &Path) {
    let mut live = LIVE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(i) = live.iter().rposition(|p| p == path) {
        live.swap_remove(i);
    }
}

/// The input files of a run, by device and inode.
#[derive(Default)]
pub struct Inputs(HashSet<(u64, u64)>);

impl Inputs {
    /// Adds an input file (`-`, standard input, is not a file and is left out).
    pub fn add(&mut self, path: &Path) {
        if path.as_os_str() == "-" {
            return;
        }
        if let Ok(m) = fs::metadata(path) {
            self.0.insert((m.dev(), m.ino()));
        }
    }

    /// Refuses an output path that is one of the inputs.
    pub fn check(&self, output: &Path) -> Result<(), String> {
        match fs::metadata(output) {
            Ok(m) if self.0.contains(&(m.dev(), m.ino())) => Err(format!(
                "refusing to write {}: it is an input of this run",
                output.display()
            )),
            _ => Ok(()),
        }
    }
}

/// The folder a path's file stands in (`.` for a bare file name).
pub fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Follows a symlink chain that ends at a missing file: the path to create.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = parent_of(&p).join(link);
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// Writes `bytes` to `path` by the rules of the module doc.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_with(path, |w| w.write_all(bytes))
}

/// Like [`write`], with the content written by `write` into a buffered writer.
pub fn write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), String> {
    let shown = path.display();
    let err = |e: io::Error| format!("cannot write {shown}: {e}");
    let (target, existing) = match fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(format!("cannot write {shown}: it is a folder")),
        Ok(m) if !m.is_file() => {
            // A device, a FIFO or a socket: written to, never replaced.
            let f = OpenOptions::new().write(true).open(path).map_err(err)?;
            let mut w = BufWriter::new(f);
            return write(&mut w).and_then(|_| w.flush()).map_err(err);
        }
        Ok(m) => (fs::canonicalize(path).map_err(err)?, Some(m)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => (follow_links(path).map_err(err)?, None),
        Err(e) => return Err(err(e)),
    };
    let dir = parent_of(&target);
    if !dir.is_dir() {
        return Err(format!(
            "cannot write {shown}: the folder {} does not exist",
            dir.display()
        ));
    }
    clean_stale(dir);
    let (tmp, file) = guarded(|| temp_in(dir)).map_err(err)?;
    let result = guarded(|| {
        if let Some(m) = &existing {
            // Owner first: changing it clears set-user-ID bits that the mode restores.
            let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
            file.set_permissions(Permissions::from_mode(m.mode() & 0o7777))?;
        }
        let mut w = BufWriter::new(&file);
        write(&mut w)?;
        w.flush()?;
        drop(w);
        file.sync_all()?;
        fs::rename(&tmp, &target)
    });
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    unregister(&tmp);
    result.map_err(err)
}

/// A new temporary file in `dir`, locked, registered, with the usual permissions
/// (0666 minus the umask).
fn temp_in(dir: &Path) -> io::Result<(PathBuf, File)> {
    static N: AtomicU64 = AtomicU64::new(0);
    for _ in 0..1000 {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".yakkan-{}-{n}.tmp", std::process::id()));
        let file = match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o666)
            .open(&path)
        {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            r => r?,
        };
        register(&path);
        // A run cleaning the folder may have taken the name between create and lock:
        // then it removes the file, and this run takes another name.
        let ours = file.try_lock().is_ok()
            && match (fs::symlink_metadata(&path), file.metadata()) {
                (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
                _ => false,
            };
        if ours {
            return Ok((path, file));
        }
        unregister(&path);
    }
    Err(io::Error::other("cannot create a temporary file"))
}

/// Removes the temporary files in `dir` that no running yakkan holds (once per folder
/// and process).
fn clean_stale(dir: &Path) {
    let key = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    {
        let mut cleaned = CLEANED.lock().unwrap_or_else(|e| e.into_inner());
        if !cleaned.get_or_insert_with(HashSet::new).insert(key) {
            return;
        }
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".yakkan-") && name.ends_with(".tmp")) {
            continue;
        }
        let path = entry.path();
        if let Ok(f) = File::open(&path) {
            if f.try_lock().is_ok() {
                let _ = fs::remove_file(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_temporary_file_is_removed_and_a_held_one_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".yakkan-1-0.tmp");
        fs::write(&stale, "partial").unwrap();
        let (held, _file) = temp_in(dir.path()).unwrap();
        clean_stale(dir.path());
        assert!(!stale.exists());
        assert!(
            held.exists(),
            "a locked temporary file belongs to a live run"
        );
        unregister(&held);
    }

    #[test]
    fn a_dangling_link_is_followed_to_the_file_to_create() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("target.json", &link).unwrap();
        assert_eq!(follow_links(&link).unwrap(), dir.path().join("target.json"));
    }
}
