//! A folder output built beside its target and put in place in one step (part of the
//! binary; `yakkan site` uses it).
//!
//! - The target is resolved first: made absolute (`-o .` works), a symlink followed to
//!   the folder it names (the link stays). Its parent folder must exist.
//! - One build at a time per parent folder: the build holds an advisory lock (`flock`)
//!   on the parent folder; a second build waits for it, saying so.
//! - Holding the lock, a build removes the staging folders (`.yakkan-site-*`) that
//!   earlier builds left when they were killed: no build that still runs can own them.
//! - The new folder is staged as `.yakkan-site-PID-N` beside the target, with the
//!   target's permissions (or 0777 minus the umask), and registered for removal if a
//!   signal ends the process.
//! - [`Staging::commit`] swaps it with the target in one step (`renameat2` with
//!   `RENAME_EXCHANGE`), so the target always exists: killed at any moment, the target
//!   is the old site or the new one. The old site, now at the staging name, is removed
//!   after. Where the file system cannot exchange, the old site is moved aside first (a
//!   later build removes it if a kill strands it).

use crate::output;
use rustix::fs::{renameat_with, RenameFlags, CWD};
use std::fs::{self, File};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The prefix of staging folders.
const PREFIX: &str = ".yakkan-site-";

/// A folder being built for `target`.
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// the parent folder, locked while the build runs
    _lock: File,
    done: bool,
}

/// `out` as an absolute path with symlinks resolved; its parent folder must exist.
pub fn resolve(out: &Path) -> Result<PathBuf, String> {
    let shown = out.display();
    let abs = std::path::absolute(out).map_err(|e| format!("cannot write {shown}: {e}"))?;
    if let Ok(p) = fs::canonicalize(&abs) {
        return Ok(p);
    }
    let parent = output::parent_of(&abs);
    let name = abs
        .file_name()
        .ok_or_else(|| format!("cannot write {shown}: not a folder name"))?;
    let parent = fs::canonicalize(parent).map_err(|_| {
        format!(
            "cannot write {shown}: the folder {} does not exist",
            parent.display()
        )
    })?;
    Ok(parent.join(name))
}

impl Staging {
    /// Locks `target`'s parent folder, removes what killed builds left there, and
    /// creates the staging folder. `target` must be resolved ([`resolve`]).
    pub fn new(target: &Path) -> Result<Staging, String> {
        let parent = output::parent_of(target);
        let lock = File::open(parent)
            .map_err(|e| format!("cannot open the folder {}: {e}", parent.display()))?;
        if lock.try_lock().is_err() {
            eprintln!(
                "yakkan: waiting for another yakkan build writing in {}",
                parent.display()
            );
            lock.lock()
                .map_err(|e| format!("cannot lock {}: {e}", parent.display()))?;
        }
        remove_stale(parent);
        let mode = fs::metadata(target).map(|m| m.permissions().mode() & 0o7777);
        // (created and registered under the write guard: a signal between the two left
        // the folder behind, once in a few runs of the interrupted-build test under load)
        let dir = output::guarded(|| {
            let dir = create(parent)?;
            output::register(&dir);
            Ok(dir)
        })
        .map_err(|e| format!("cannot create a folder in {}: {e}", parent.display()))?;
        if let Ok(mode) = mode {
            fs::set_permissions(&dir, fs::Permissions::from_mode(mode))
                .map_err(|e| format!("cannot set permissions of {}: {e}", dir.display()))?;
        }
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            _lock: lock,
            done: false,
        })
    }

    /// The staging folder to build in.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Puts the staged folder in place of the target (see the module doc).
    pub fn commit(mut self) -> Result<(), String> {
        let fail = |e: std::io::Error| {
            format!(
                "cannot put the site in place at {}: {e}",
                self.target.display()
            )
        };
        if fs::symlink_metadata(&self.target).is_err() {
            renameat_with(CWD, &self.dir, CWD, &self.target, RenameFlags::NOREPLACE)
                .or_else(|_| fs::rename(&self.dir, &self.target))
                .map_err(&fail)?;
        } else if renameat_with(CWD, &self.dir, CWD, &self.target, RenameFlags::EXCHANGE).is_err() {
            // No exchange on this file system: aside, then in.
            let aside = self.dir.with_extension("old");
            fs::rename(&self.target, &aside).map_err(fail)?;
            if let Err(e) = fs::rename(&self.dir, &self.target) {
                let _ = fs::rename(&aside, &self.target);
                return Err(fail(e));
            }
            fs::rename(&aside, &self.dir).map_err(fail)?;
        }
        // The staging name now holds the old site (or nothing).
        self.done = true;
        output::remove(&self.dir);
        output::unregister(&self.dir);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            output::remove(&self.dir);
            output::unregister(&self.dir);
        }
    }
}

/// A new staging folder in `parent` (0777 minus the umask).
fn create(parent: &Path) -> std::io::Result<PathBuf> {
    let mut builder = fs::DirBuilder::new();
    builder.mode(0o777);
    for n in 0.. {
        let dir = parent.join(format!("{PREFIX}{}-{n}", std::process::id()));
        match builder.create(&dir) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            r => return r.map(|_| dir),
        }
    }
    unreachable!("a free name")
}

/// Removes the staging folders in `parent` (the caller holds its lock), and the
/// folders that builds before the lock existed left (`.yakkan-runs-*`).
fn remove_stale(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(PREFIX) || name.starts_with(".yakkan-runs-") {
            output::remove(&entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_exchanges_and_leaves_nothing_beside() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("site");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("old.html"), "old").unwrap();
        fs::create_dir(tmp.path().join(".yakkan-site-1-0")).unwrap(); // a killed build's
        let staging = Staging::new(&resolve(&target).unwrap()).unwrap();
        fs::write(staging.path().join("new.html"), "new").unwrap();
        staging.commit().unwrap();
        assert!(target.join("new.html").exists() && !target.join("old.html").exists());
        let names: Vec<_> = fs::read_dir(tmp.path()).unwrap().flatten().collect();
        assert_eq!(names.len(), 1, "only the site remains beside it");
    }

    #[test]
    fn dropping_an_unfinished_build_removes_it() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&resolve(&tmp.path().join("site")).unwrap()).unwrap();
        let dir = staging.path().to_path_buf();
        fs::write(dir.join("half.html"), "…").unwrap();
        drop(staging);
        assert!(!dir.exists());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
