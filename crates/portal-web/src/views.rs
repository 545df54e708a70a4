//! A short-lived memory of opened, parsed and sanitised copies, so that a reader who
//! reloads the message page (or many readers of one copy under load) does not cost a read
//! of the sealed content, an opening, a MIME parse and a sanitiser run each time.
//!
//! **Why it is safe:** the memory is consulted only *after* the session and access checks,
//! which still read the store on every request: a session that ended, another recipient, a
//! revoked or an expired copy is refused exactly as before and never reaches it. Each entry
//! holds one copy's view and is found only by that copy's id *and* the SHA-256 of the
//! sealed bytes it was opened from, which the same read of the store brings on every
//! request: a sealed copy changed in the database (tampered with, or naming a key this
//! installation does not have) no longer matches, is opened again, and is refused as
//! before.
//!
//! **Bounds:** an entry lives [`TTL`] at most (then it is opened again), at most
//! [`MAX_ENTRIES`] entries and [`MAX_BYTES`] of text are kept, and a view larger than
//! [`MAX_ENTRY_BYTES`] is never kept. Entries are dropped when their copy is refused as
//! revoked or expired. **PHI:** every string of an entry is zeroized when the entry is
//! dropped (evicted, expired, replaced), as the opened bytes are.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use model::PortalCopyId;
use portal::content::MessageView;
use portal::sanitize::SanitizedHtml;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// How long an opened copy is kept.
pub(crate) const TTL: Duration = Duration::from_secs(60);
/// Most copies kept at once.
pub(crate) const MAX_ENTRIES: usize = 256;
/// Most text kept at once, over all entries (bytes).
pub(crate) const MAX_BYTES: usize = 32 * 1024 * 1024;
/// Largest view kept (bytes of text); larger ones are opened every time.
pub(crate) const MAX_ENTRY_BYTES: usize = 512 * 1024;

/// One copy as the message page shows it: the parsed message and its body, sanitised
/// without remote images (the page's default).
pub(crate) struct Shown {
    pub(crate) view: MessageView,
    pub(crate) body: SanitizedHtml,
}

impl Shown {
    /// Bytes of text held (what the bounds count).
    fn bytes(&self) -> usize {
        let v = &self.view;
        v.subject.len()
            + v.from.len()
            + v.date.as_ref().map_or(0, String::len)
            + v.text.as_ref().map_or(0, String::len)
            + v.html.as_ref().map_or(0, String::len)
            + v.message_id.as_ref().map_or(0, String::len)
            + v.attachments
                .iter()
                .map(|a| a.filename.len() + a.content_type.len())
                .sum::<usize>()
            + self.body.html.len()
    }
}

impl Drop for Shown {
    fn drop(&mut self) {
        let v = &mut self.view;
        v.subject.zeroize();
        v.from.zeroize();
        v.date.zeroize();
        v.text.zeroize();
        v.html.zeroize();
        v.message_id.zeroize();
        for a in &mut v.attachments {
            a.filename.zeroize();
            a.content_type.zeroize();
        }
        self.body.html.zeroize();
    }
}

struct Entry {
    shown: Arc<Shown>,
    /// SHA-256 of the sealed bytes the view was opened from.
    sealed: [u8; 32],
    bytes: usize,
    until: Instant,
}

/// The memory (see the module docs).
#[derive(Default)]
pub(crate) struct Views {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<PortalCopyId, Entry>,
    bytes: usize,
}

impl Inner {
    fn remove(&mut self, id: &PortalCopyId) {
        if let Some(e) = self.entries.remove(id) {
            self.bytes -= e.bytes;
        }
    }

    fn drop_stale(&mut self, now: Instant) {
        let before = self.entries.len();
        let mut freed = 0;
        self.entries.retain(|_, e| {
            let keep = e.until > now;
            if !keep {
                freed += e.bytes;
            }
            keep
        });
        if self.entries.len() != before {
            self.bytes -= freed;
        }
    }
}

impl Views {
    /// The copy's view, if it was opened less than [`TTL`] ago from the same sealed bytes.
    pub(crate) fn get(&self, id: PortalCopyId, sealed: &[u8]) -> Option<Arc<Shown>> {
        let now = Instant::now();
        let digest = digest(sealed);
        let mut inner = self.inner.lock().ok()?;
        match inner.entries.get(&id) {
            Some(e) if e.until > now && e.sealed == digest => Some(e.shown.clone()),
            Some(_) => {
                inner.remove(&id);
                None
            }
            None => None,
        }
    }

    /// Keep a copy's view, opened from `sealed` (unless it is too large, or the memory is
    /// full of live entries).
    pub(crate) fn put(&self, id: PortalCopyId, sealed: &[u8], shown: Arc<Shown>) {
        let sealed = digest(sealed);
        let bytes = shown.bytes();
        if bytes > MAX_ENTRY_BYTES {
            return;
        }
        let now = Instant::now();
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        inner.remove(&id);
        if inner.entries.len() >= MAX_ENTRIES || inner.bytes + bytes > MAX_BYTES {
            inner.drop_stale(now);
        }
        if inner.entries.len() >= MAX_ENTRIES || inner.bytes + bytes > MAX_BYTES {
            // Full of live entries: this one is simply not kept (no eviction storm).
            return;
        }
        inner.bytes += bytes;
        inner.entries.insert(
            id,
            Entry {
                shown,
                sealed,
                bytes,
                until: now + TTL,
            },
        );
    }

    /// Forget a copy (it was refused as revoked or expired).
    pub(crate) fn forget(&self, id: PortalCopyId) {
        if let Ok(mut inner) = self.inner.lock() {
            inner.remove(&id);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner.lock().map(|i| i.entries.len()).unwrap_or(0)
    }
}

fn digest(sealed: &[u8]) -> [u8; 32] {
    Sha256::digest(sealed).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> Arc<Shown> {
        Arc::new(Shown {
            view: MessageView {
                text: Some(text.to_string()),
                ..MessageView::default()
            },
            body: SanitizedHtml::default(),
        })
    }

    #[test]
    fn a_view_is_found_only_by_its_own_copy() {
        let views = Views::default();
        let a = PortalCopyId::new();
        let b = PortalCopyId::new();
        views.put(a, b"sealed a", shown("for a"));
        assert_eq!(
            views
                .get(a, b"sealed a")
                .and_then(|s| s.view.text.clone())
                .as_deref(),
            Some("for a")
        );
        assert!(views.get(b, b"sealed a").is_none());
    }

    #[test]
    fn a_view_is_not_used_once_its_sealed_bytes_changed() {
        let views = Views::default();
        let a = PortalCopyId::new();
        views.put(a, b"sealed a", shown("for a"));
        assert!(views.get(a, b"sealed A").is_none());
        assert_eq!(views.len(), 0, "the stale view is dropped");
    }

    #[test]
    fn forgotten_views_are_gone() {
        let views = Views::default();
        let a = PortalCopyId::new();
        views.put(a, b"s", shown("x"));
        views.forget(a);
        assert!(views.get(a, b"s").is_none());
        assert_eq!(views.len(), 0);
    }

    #[test]
    fn large_views_are_not_kept_and_the_count_is_bounded() {
        let views = Views::default();
        let big = PortalCopyId::new();
        views.put(big, b"s", shown(&"x".repeat(MAX_ENTRY_BYTES + 1)));
        assert!(views.get(big, b"s").is_none());
        for _ in 0..MAX_ENTRIES + 10 {
            views.put(PortalCopyId::new(), b"s", shown("y"));
        }
        assert_eq!(views.len(), MAX_ENTRIES);
    }
}
