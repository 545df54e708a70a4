//! Large sealed message bodies in segment files beside the database.
//!
//! A body in a SQLite table is written twice: into the write-ahead log at commit, then again
//! into the database file by the checkpoint, 4 KiB page by page, each page with its frame
//! header and checksum. For a 200 KB body that was a quarter of carepost's CPU under load
//! (WAL frames 10%, the checkpoint's copy 9.5%) and most of the commit's time (a 200 KB
//! blob commits in about 0.96 ms here, against 0.32 ms to append 200 KB to a file and
//! `fdatasync` it). So bodies of [`SEGMENT_THRESHOLD`] bytes or more are appended to a
//! segment file instead, and the database keeps where (`message_body_segments`).
//!
//! **Durability:** the staging thread (`stager.rs`) appends the large bodies waiting for
//! it, syncs the segment once (`fdatasync`; the directory too when a segment was created),
//! and only then says where they are; the transaction that records that commits after.
//! A committed reference therefore always points at bytes on disk; a crash between the two
//! leaves unreferenced bytes at a segment's end, which nothing reads. A request that fails
//! in the writer is rolled back alone, and its body's bytes stay unreferenced the same way;
//! a staged body whose message is refused is overwritten with zeros ([`erase`]).
//!
//! **Several writers:** each store appends only to segments it created (a new name, opened
//! with `create_new`), so two stores on one database never write the same file. A segment
//! is closed at [`SEGMENT_MAX_BYTES`] and never written again.
//!
//! **Does not:** delete bodies (nothing deletes them from the table either), compact, or
//! hold anything but sealed bytes: bodies arrive sealed (`crypto`), so a segment is
//! ciphertext, and a reference is a file name and two numbers. Files are created `0600` in
//! a `0700` directory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, FileExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// Bodies this large or larger go to a segment; smaller ones stay in `message_bodies`,
/// where they cost one WAL write and no second fsync.
pub(crate) const SEGMENT_THRESHOLD: usize = 64 * 1024;
/// A segment is closed, and the next body starts a new one, once it holds this many bytes.
pub(crate) const SEGMENT_MAX_BYTES: u64 = 1 << 30;

/// Where a body is: its segment's file name, its offset and its length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BodyRef {
    pub(crate) segment: String,
    pub(crate) offset: u64,
    pub(crate) len: u64,
}

/// The segments directory of the database at `db`: `carepost.db` keeps its bodies in
/// `carepost.db-bodies/`, beside its `-wal` and `-shm` files.
pub(crate) fn segments_dir(db: &Path) -> PathBuf {
    let mut name = db.file_name().unwrap_or_default().to_os_string();
    name.push("-bodies");
    db.with_file_name(name)
}

/// The appending side (the staging thread's): appends to the segment it created last.
pub(crate) struct SegmentWriter {
    dir: PathBuf,
    current: Option<Segment>,
}

struct Segment {
    name: String,
    file: File,
    len: u64,
}

impl SegmentWriter {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Self { dir, current: None }
    }

    /// Append every body, then make them durable. On an error nothing returned is
    /// referenced yet, and the segment is abandoned (the next call starts a new one), so a
    /// half-written body is never followed by another.
    pub(crate) fn append(&mut self, bodies: &[&[u8]]) -> io::Result<Vec<BodyRef>> {
        let result = self.append_inner(bodies);
        if result.is_err() {
            self.current = None;
        }
        result
    }

    fn append_inner(&mut self, bodies: &[&[u8]]) -> io::Result<Vec<BodyRef>> {
        let mut refs = Vec::with_capacity(bodies.len());
        let mut created = false;
        for body in bodies {
            let segment = match self.current.take() {
                Some(s) if s.len < SEGMENT_MAX_BYTES => s,
                _ => {
                    created = true;
                    self.create()?
                }
            };
            let segment = self.current.insert(segment);
            segment.file.write_all(body)?;
            refs.push(BodyRef {
                segment: segment.name.clone(),
                offset: segment.len,
                len: body.len() as u64,
            });
            segment.len += body.len() as u64;
        }
        if let Some(segment) = &self.current {
            segment.file.sync_data()?;
        }
        if created {
            // The new file's name must survive a crash too.
            File::open(&self.dir)?.sync_all()?;
        }
        Ok(refs)
    }

    fn create(&self) -> io::Result<Segment> {
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        // A name no other writer has: the time, this process, and a counter for the rare
        // name already taken (`create_new` refuses to open an existing file).
        for attempt in 0..1000u32 {
            let name = format!("{stamp:032x}-{:08x}-{attempt:04x}.seg", std::process::id());
            match OpenOptions::new()
                .append(true)
                .create_new(true)
                .mode(0o600)
                .open(self.dir.join(&name))
            {
                Ok(file) => return Ok(Segment { name, file, len: 0 }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free segment name",
        ))
    }
}

/// Read a body back. A reference that names no plain file of the directory, or reaches past
/// its segment's end, is an error, not a short or foreign read.
pub(crate) fn read(dir: &Path, r: &BodyRef) -> io::Result<Vec<u8>> {
    let (path, len) = checked(dir, r)?;
    let file = File::open(path)?;
    let mut body = vec![0; len];
    file.read_exact_at(&mut body, r.offset)?;
    Ok(body)
}

/// Overwrite a body that will never be referenced (its message was refused after the body
/// was staged) with zeros, so that it does not stay on disk even sealed. Not synced: the
/// bytes were ciphertext, and the page cache writes the zeros back in its own time. Only
/// the body's own range is written; a reference past the segment's end is an error and
/// writes nothing.
pub(crate) fn erase(dir: &Path, r: &BodyRef) -> io::Result<()> {
    let (path, len) = checked(dir, r)?;
    let file = OpenOptions::new().write(true).open(path)?;
    let end = r
        .offset
        .checked_add(r.len)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "body range out of range"))?;
    if end > file.metadata()?.len() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "body range past the segment's end",
        ));
    }
    let zeros = vec![0u8; len.min(1 << 20)];
    let mut at = 0;
    while at < len {
        let n = zeros.len().min(len - at);
        file.write_all_at(&zeros[..n], r.offset + at as u64)?;
        at += n;
    }
    Ok(())
}

/// The path a reference names and its length: a plain `.seg` file of `dir`, never a path
/// outside it.
fn checked(dir: &Path, r: &BodyRef) -> io::Result<(PathBuf, usize)> {
    let plain_name = !r.segment.is_empty()
        && r.segment.ends_with(".seg")
        && r.segment
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        && !r.segment.starts_with('.');
    if !plain_name {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "not a segment name",
        ));
    }
    let len = usize::try_from(r.len)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "body length out of range"))?;
    Ok((dir.join(&r.segment), len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_come_back_from_their_segment_and_a_new_writer_starts_its_own() {
        let dir = tempfile::tempdir().expect("tempdir");
        let segs = segments_dir(&dir.path().join("carepost.db"));
        assert_eq!(segs, dir.path().join("carepost.db-bodies"));
        let mut w = SegmentWriter::new(segs.clone());
        let a = vec![1u8; 70_000];
        let b = vec![2u8; 100_000];
        let refs = w.append(&[&a, &b]).expect("appends");
        assert_eq!(refs[0].segment, refs[1].segment);
        assert_eq!((refs[0].offset, refs[1].offset), (0, 70_000));
        assert_eq!(read(&segs, &refs[0]).expect("reads"), a);
        assert_eq!(read(&segs, &refs[1]).expect("reads"), b);
        // Another writer on the same directory (a restart, or a second store) never
        // appends to this segment.
        let c = vec![3u8; 65_536];
        let other = SegmentWriter::new(segs.clone())
            .append(&[&c])
            .expect("appends");
        assert_ne!(other[0].segment, refs[0].segment);
        assert_eq!(other[0].offset, 0);
        assert_eq!(read(&segs, &other[0]).expect("reads"), c);
        assert_eq!(read(&segs, &refs[1]).expect("still reads"), b);
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&segs), 0o700);
        assert_eq!(mode(&segs.join(&refs[0].segment)), 0o600);
    }

    #[test]
    fn a_reference_past_the_end_or_outside_the_directory_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = SegmentWriter::new(dir.path().to_path_buf());
        let r = w.append(&[&[7u8; 10][..]]).expect("appends").remove(0);
        let past = BodyRef {
            offset: 5,
            ..r.clone()
        };
        assert!(read(dir.path(), &past).is_err());
        for name in ["../carepost.db", "/etc/passwd", ".seg", "x/../y.seg", ""] {
            let bad = BodyRef {
                segment: name.to_string(),
                ..r.clone()
            };
            assert_eq!(
                read(dir.path(), &bad).map_err(|e| e.kind()).err(),
                Some(io::ErrorKind::InvalidData),
                "{name}"
            );
        }
        assert_eq!(read(dir.path(), &r).expect("reads"), vec![7u8; 10]);
    }

    /// Erasing zeros exactly the body's range: its neighbours still read back, and a range
    /// past the end or a name outside the directory writes nothing.
    #[test]
    fn erasing_a_body_zeros_its_range_and_nothing_else() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut w = SegmentWriter::new(dir.path().to_path_buf());
        let (a, b, c) = (vec![1u8; 70_000], vec![2u8; 1_500_000], vec![3u8; 65_536]);
        let refs = w.append(&[&a, &b, &c]).expect("appends");
        erase(dir.path(), &refs[1]).expect("erases");
        assert_eq!(
            read(dir.path(), &refs[1]).expect("reads"),
            vec![0u8; b.len()]
        );
        assert_eq!(read(dir.path(), &refs[0]).expect("reads"), a);
        assert_eq!(read(dir.path(), &refs[2]).expect("reads"), c);
        let past = BodyRef {
            len: 65_537,
            ..refs[2].clone()
        };
        assert_eq!(
            erase(dir.path(), &past).map_err(|e| e.kind()).err(),
            Some(io::ErrorKind::UnexpectedEof)
        );
        let outside = BodyRef {
            segment: "../carepost.db".to_string(),
            ..refs[0].clone()
        };
        assert_eq!(
            erase(dir.path(), &outside).map_err(|e| e.kind()).err(),
            Some(io::ErrorKind::InvalidData)
        );
        assert_eq!(read(dir.path(), &refs[2]).expect("reads"), c);
        let len = fs::metadata(dir.path().join(&refs[0].segment))
            .expect("metadata")
            .len();
        assert_eq!(
            len,
            (a.len() + b.len() + c.len()) as u64,
            "no byte appended"
        );
    }
}
