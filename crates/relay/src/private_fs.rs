//! The data directory and the database files are readable by the relay's user only: they
//! hold every workshop's notes, even if the credentials in them are hashed.

use std::io;
use std::path::Path;

#[cfg(unix)]
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};

const DIR_MODE: u32 = 0o700;
const FILE_MODE: u32 = 0o600;

/// Creates `dir` (and missing parents) as 0700; an existing one that belongs to this user
/// is tightened to 0700. One that belongs to someone else (a shared mount set up by an
/// administrator) is left as it is.
pub fn create_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(DIR_MODE)
            .create(dir)?;
        let meta = std::fs::metadata(dir)?;
        if meta.uid() == rustix::process::geteuid().as_raw() && meta.mode() & 0o777 != DIR_MODE {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Makes `db` exist with mode 0600 before SQLite opens it, and tightens its `-wal` and
/// `-shm` companions if an older relay left them. SQLite gives new `-wal`/`-shm` files the
/// database file's own mode, so once the database is 0600 they are too.
pub fn prepare_db(db: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(FILE_MODE)
            .open(db)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut name = db.as_os_str().to_owned();
            name.push(suffix);
            let path = Path::new(&name);
            match std::fs::metadata(path) {
                Ok(meta) if meta.mode() & 0o777 != FILE_MODE => {
                    std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))?;
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    #[cfg(not(unix))]
    let _ = db;
    Ok(())
}
