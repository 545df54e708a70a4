//! The key ring: master keys, unwrapped tenant keys, sealing and opening.

use std::collections::HashMap;
use std::fmt;
use std::sync::RwLock;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use model::TenantId;

use crate::CryptoError;

const OBJECT_MAGIC: &[u8; 4] = b"CPS1";
const KEY_LEN: usize = 32;
const TAG_LEN: usize = 16;
const DEK_WRAP_LABEL: &[u8] = b"carepost-dek-v1";
const KEY_WRAP_LABEL: &[u8] = b"carepost-key-v1";

/// What a key held in the ring is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// Wraps per-object data keys.
    TenantData,
    /// Opaque key material kept sealed (e.g. a DKIM private key in PKCS#8).
    Material,
}

/// The root key. Held only by the process that seals and opens.
pub struct MasterKey {
    id: String,
    key: Zeroizing<[u8; KEY_LEN]>,
}

impl MasterKey {
    /// A fresh random master key with a new id.
    pub fn generate() -> Result<Self, CryptoError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        SystemRandom::new()
            .fill(key.as_mut())
            .map_err(|_| CryptoError::Rng)?;
        Ok(Self {
            id: new_key_id("mk")?,
            key,
        })
    }

    /// The key id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text form stored in the master key file.
    pub fn to_text(&self) -> Zeroizing<String> {
        Zeroizing::new(format!(
            "# carepost master key. Keep this file secret (mode 0600) and backed up apart\n\
             # from the data: without it nothing sealed can be read.\n\
             version=1\nid={}\nkey={}\n",
            self.id,
            hex::encode(self.key.as_ref())
        ))
    }

    /// Parse the text form.
    pub fn from_text(text: &str) -> Result<Self, CryptoError> {
        let mut id = None;
        let mut key_hex: Option<Zeroizing<String>> = None;
        for line in text.lines().map(str::trim) {
            if let Some(v) = line.strip_prefix("id=") {
                id = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("key=") {
                key_hex = Some(Zeroizing::new(v.to_string()));
            } else if let Some(v) = line.strip_prefix("version=")
                && v != "1"
            {
                return Err(CryptoError::BadMasterKey("unsupported version"));
            }
        }
        let id = id
            .filter(|i| valid_key_id(i))
            .ok_or(CryptoError::BadMasterKey("missing id"))?;
        let key_hex = key_hex.ok_or(CryptoError::BadMasterKey("missing key"))?;
        let bytes = Zeroizing::new(
            hex::decode(key_hex.as_bytes())
                .map_err(|_| CryptoError::BadMasterKey("key is not hex"))?,
        );
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        if bytes.len() != KEY_LEN {
            return Err(CryptoError::BadMasterKey("key must be 32 bytes"));
        }
        key.copy_from_slice(&bytes);
        Ok(Self { id, key })
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKey({})", self.id)
    }
}

/// A freshly generated key, wrapped for storage.
#[derive(Clone)]
pub struct NewKey {
    /// Its id.
    pub id: String,
    /// Wrapped bytes to store.
    pub wrapped: Vec<u8>,
    /// The master key that wrapped it.
    pub wrapping_key_id: String,
}

impl fmt::Debug for NewKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NewKey({} wrapped by {})", self.id, self.wrapping_key_id)
    }
}

struct LoadedKey {
    tenant: TenantId,
    kind: KeyKind,
    secret: Zeroizing<Vec<u8>>,
}

#[derive(Default)]
struct Inner {
    masters: HashMap<String, Zeroizing<[u8; KEY_LEN]>>,
    active_master: String,
    keys: HashMap<String, LoadedKey>,
    active_data: HashMap<TenantId, String>,
}

/// Master keys and unwrapped tenant keys, shared by every task that seals or opens.
pub struct KeyRing {
    inner: RwLock<Inner>,
    rng: SystemRandom,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyRing([redacted])")
    }
}

impl KeyRing {
    /// A ring whose active master key is `master`.
    pub fn new(master: MasterKey) -> Self {
        let mut inner = Inner {
            active_master: master.id.clone(),
            ..Inner::default()
        };
        inner.masters.insert(master.id, master.key);
        Self {
            inner: RwLock::new(inner),
            rng: SystemRandom::new(),
        }
    }

    /// Add a master key. With `make_active`, new wrappings use it (master rotation).
    pub fn add_master(&self, master: MasterKey, make_active: bool) {
        let mut inner = self.write();
        if make_active {
            inner.active_master = master.id.clone();
        }
        inner.masters.insert(master.id, master.key);
    }

    /// True if the ring holds the master key with this id.
    pub fn has_master(&self, id: &str) -> bool {
        self.read().masters.contains_key(id)
    }

    /// The id of the master key used for new wrappings.
    pub fn active_master_id(&self) -> String {
        self.read().active_master.clone()
    }

    /// Generate a new tenant data key, load it as the tenant's active key, and return it
    /// wrapped for storage.
    pub fn generate_tenant_key(&self, tenant: TenantId) -> Result<NewKey, CryptoError> {
        let mut secret = Zeroizing::new(vec![0u8; KEY_LEN]);
        self.rng.fill(&mut secret).map_err(|_| CryptoError::Rng)?;
        let key = self.wrap_new(tenant, &secret, "tk")?;
        self.insert(key.id.clone(), tenant, KeyKind::TenantData, secret, true);
        Ok(key)
    }

    /// Wrap opaque key material (e.g. a DKIM PKCS#8 key) for storage and load it.
    pub fn wrap_material(&self, tenant: TenantId, material: &[u8]) -> Result<NewKey, CryptoError> {
        let key = self.wrap_new(tenant, material, "km")?;
        self.insert(
            key.id.clone(),
            tenant,
            KeyKind::Material,
            Zeroizing::new(material.to_vec()),
            false,
        );
        Ok(key)
    }

    /// Unwrap a stored key and hold it. `active` makes a data key the tenant's key for new
    /// objects.
    pub fn load(
        &self,
        id: &str,
        tenant: TenantId,
        kind: KeyKind,
        wrapped: &[u8],
        wrapping_key_id: &str,
        active: bool,
    ) -> Result<(), CryptoError> {
        let secret = {
            let inner = self.read();
            let master = inner
                .masters
                .get(wrapping_key_id)
                .ok_or_else(|| CryptoError::UnknownKey(wrapping_key_id.to_string()))?;
            open_raw(master.as_ref(), &key_wrap_aad(id, tenant), wrapped)?
        };
        self.insert(id.to_string(), tenant, kind, secret, active);
        Ok(())
    }

    /// Key material loaded under `id` (for [`KeyKind::Material`] keys such as DKIM).
    pub fn material(&self, id: &str) -> Option<Zeroizing<Vec<u8>>> {
        self.read().keys.get(id).map(|k| k.secret.clone())
    }

    /// The id of a tenant's active data key.
    pub fn active_data_key(&self, tenant: TenantId) -> Option<String> {
        self.read().active_data.get(&tenant).cloned()
    }

    /// Re-wrap every loaded key under the active master key (master rotation). Returns
    /// `(id, wrapped)` pairs for the store to save in one transaction.
    pub fn rewrap_all(&self) -> Result<Vec<(String, Vec<u8>)>, CryptoError> {
        let inner = self.read();
        let master = inner
            .masters
            .get(&inner.active_master)
            .ok_or_else(|| CryptoError::UnknownKey(inner.active_master.clone()))?;
        let mut out = Vec::with_capacity(inner.keys.len());
        for (id, key) in &inner.keys {
            let wrapped = seal_raw(
                &self.rng,
                master.as_ref(),
                &key_wrap_aad(id, key.tenant),
                &key.secret,
            )?;
            out.push((id.clone(), wrapped));
        }
        out.sort();
        Ok(out)
    }

    /// Seal `plaintext` for `tenant` with a fresh data key. `aad` binds the object to its
    /// place (e.g. a message id) and must be given again to open it.
    pub fn seal(
        &self,
        tenant: TenantId,
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let inner = self.read();
        let key_id = inner
            .active_data
            .get(&tenant)
            .ok_or(CryptoError::NoActiveKey)?;
        let tenant_key = inner
            .keys
            .get(key_id)
            .ok_or_else(|| CryptoError::UnknownKey(key_id.clone()))?;

        let mut dek = Zeroizing::new([0u8; KEY_LEN]);
        self.rng.fill(dek.as_mut()).map_err(|_| CryptoError::Rng)?;
        let wrapped_dek = seal_raw(
            &self.rng,
            &tenant_key.secret,
            &dek_wrap_aad(key_id, aad),
            dek.as_ref(),
        )?;

        let id_len =
            u8::try_from(key_id.len()).map_err(|_| CryptoError::Malformed("key id too long"))?;
        let wrapped_len = u16::try_from(wrapped_dek.len())
            .map_err(|_| CryptoError::Malformed("wrapped key too long"))?;
        let mut out = Vec::with_capacity(
            8 + key_id.len() + wrapped_dek.len() + NONCE_LEN + plaintext.len() + TAG_LEN,
        );
        out.extend_from_slice(OBJECT_MAGIC);
        out.push(id_len);
        out.extend_from_slice(key_id.as_bytes());
        out.extend_from_slice(&wrapped_len.to_be_bytes());
        out.extend_from_slice(&wrapped_dek);
        let header_len = out.len();

        let mut nonce = [0u8; NONCE_LEN];
        self.rng.fill(&mut nonce).map_err(|_| CryptoError::Rng)?;
        out.extend_from_slice(&nonce);
        let body_start = out.len();
        out.extend_from_slice(plaintext);

        let object_aad = object_aad(aad, &out[..header_len]);
        let key = aead_key(dek.as_ref())?;
        let (_, body) = out.split_at_mut(body_start);
        let tag = key
            .seal_in_place_separate_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(&object_aad),
                body,
            )
            .map_err(|_| CryptoError::Integrity)?;
        out.extend_from_slice(tag.as_ref());
        Ok(out)
    }

    /// Open an object sealed by [`KeyRing::seal`] with the same `aad`.
    pub fn open(&self, aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let parsed = parse_object(sealed)?;
        let inner = self.read();
        let tenant_key = inner
            .keys
            .get(parsed.key_id)
            .filter(|k| k.kind == KeyKind::TenantData)
            .ok_or_else(|| CryptoError::UnknownKey(parsed.key_id.to_string()))?;
        let dek = open_raw(
            &tenant_key.secret,
            &dek_wrap_aad(parsed.key_id, aad),
            parsed.wrapped_dek,
        )?;
        drop(inner);

        let object_aad = object_aad(aad, parsed.header);
        let key = aead_key(&dek)?;
        let nonce = Nonce::try_assume_unique_for_key(parsed.nonce)
            .map_err(|_| CryptoError::Malformed("nonce"))?;
        let mut buf = Zeroizing::new(parsed.ciphertext.to_vec());
        let plain_len = key
            .open_in_place(nonce, Aad::from(&object_aad), buf.as_mut_slice())
            .map_err(|_| CryptoError::Integrity)?
            .len();
        buf.truncate(plain_len);
        Ok(buf)
    }

    fn wrap_new(
        &self,
        tenant: TenantId,
        secret: &[u8],
        prefix: &str,
    ) -> Result<NewKey, CryptoError> {
        let id = new_key_id(prefix)?;
        let inner = self.read();
        let master = inner
            .masters
            .get(&inner.active_master)
            .ok_or_else(|| CryptoError::UnknownKey(inner.active_master.clone()))?;
        let wrapped = seal_raw(
            &self.rng,
            master.as_ref(),
            &key_wrap_aad(&id, tenant),
            secret,
        )?;
        Ok(NewKey {
            id,
            wrapped,
            wrapping_key_id: inner.active_master.clone(),
        })
    }

    fn insert(
        &self,
        id: String,
        tenant: TenantId,
        kind: KeyKind,
        secret: Zeroizing<Vec<u8>>,
        active: bool,
    ) {
        let mut inner = self.write();
        if active && kind == KeyKind::TenantData {
            inner.active_data.insert(tenant, id.clone());
        }
        inner.keys.insert(
            id,
            LoadedKey {
                tenant,
                kind,
                secret,
            },
        );
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Inner> {
        // A poisoned lock means a panic while holding it; the maps are still consistent
        // because every write is a single insert.
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }
}

/// The id of the tenant key that sealed an object, without opening it.
pub fn sealed_key_id(sealed: &[u8]) -> Result<String, CryptoError> {
    parse_object(sealed).map(|p| p.key_id.to_string())
}

struct ParsedObject<'a> {
    header: &'a [u8],
    key_id: &'a str,
    wrapped_dek: &'a [u8],
    nonce: &'a [u8],
    ciphertext: &'a [u8],
}

fn parse_object(sealed: &[u8]) -> Result<ParsedObject<'_>, CryptoError> {
    let rest = sealed
        .strip_prefix(OBJECT_MAGIC.as_slice())
        .ok_or(CryptoError::Malformed("bad magic"))?;
    let (&id_len, rest) = rest
        .split_first()
        .ok_or(CryptoError::Malformed("truncated"))?;
    let id_len = usize::from(id_len);
    if rest.len() < id_len + 2 {
        return Err(CryptoError::Malformed("truncated"));
    }
    let key_id =
        std::str::from_utf8(&rest[..id_len]).map_err(|_| CryptoError::Malformed("key id"))?;
    let wrapped_len = usize::from(u16::from_be_bytes([rest[id_len], rest[id_len + 1]]));
    let rest = &rest[id_len + 2..];
    if rest.len() < wrapped_len + NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Malformed("truncated"));
    }
    let header_len = OBJECT_MAGIC.len() + 1 + id_len + 2 + wrapped_len;
    Ok(ParsedObject {
        header: &sealed[..header_len],
        key_id,
        wrapped_dek: &rest[..wrapped_len],
        nonce: &rest[wrapped_len..wrapped_len + NONCE_LEN],
        ciphertext: &rest[wrapped_len + NONCE_LEN..],
    })
}

fn aead_key(bytes: &[u8]) -> Result<LessSafeKey, CryptoError> {
    UnboundKey::new(&AES_256_GCM, bytes)
        .map(LessSafeKey::new)
        .map_err(|_| CryptoError::Malformed("key length"))
}

/// nonce || ciphertext || tag, under `key`.
fn seal_raw(
    rng: &SystemRandom,
    key: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let key = aead_key(key)?;
    let mut nonce = [0u8; NONCE_LEN];
    rng.fill(&mut nonce).map_err(|_| CryptoError::Rng)?;
    let mut out = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(plaintext);
    let tag = key
        .seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(nonce),
            Aad::from(aad),
            &mut out[NONCE_LEN..],
        )
        .map_err(|_| CryptoError::Integrity)?;
    out.extend_from_slice(tag.as_ref());
    Ok(out)
}

fn open_raw(key: &[u8], aad: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    if sealed.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Malformed("truncated"));
    }
    let key = aead_key(key)?;
    let nonce = Nonce::try_assume_unique_for_key(&sealed[..NONCE_LEN])
        .map_err(|_| CryptoError::Malformed("nonce"))?;
    let mut buf = Zeroizing::new(sealed[NONCE_LEN..].to_vec());
    let len = key
        .open_in_place(nonce, Aad::from(aad), buf.as_mut_slice())
        .map_err(|_| CryptoError::Integrity)?
        .len();
    buf.truncate(len);
    Ok(buf)
}

fn dek_wrap_aad(key_id: &str, aad: &[u8]) -> Vec<u8> {
    [DEK_WRAP_LABEL, key_id.as_bytes(), b"\0", aad].concat()
}

fn key_wrap_aad(id: &str, tenant: TenantId) -> Vec<u8> {
    [KEY_WRAP_LABEL, id.as_bytes(), b"\0", tenant.0.as_bytes()].concat()
}

fn object_aad(aad: &[u8], header: &[u8]) -> Vec<u8> {
    let len = u32::try_from(aad.len()).unwrap_or(u32::MAX).to_be_bytes();
    [&len[..], aad, header].concat()
}

fn new_key_id(prefix: &str) -> Result<String, CryptoError> {
    let mut raw = [0u8; 8];
    SystemRandom::new()
        .fill(&mut raw)
        .map_err(|_| CryptoError::Rng)?;
    Ok(format!("{prefix}-{}", hex::encode(raw)))
}

fn valid_key_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring_with_tenant() -> (KeyRing, TenantId, NewKey) {
        let ring = KeyRing::new(MasterKey::generate().expect("rng"));
        let tenant = TenantId::new();
        let key = ring.generate_tenant_key(tenant).expect("key");
        (ring, tenant, key)
    }

    #[test]
    fn seal_then_open_round_trips_and_hides_plaintext() {
        let (ring, tenant, _) = ring_with_tenant();
        let canary = b"CANARY-123-45-6789 diagnosis";
        let sealed = ring.seal(tenant, b"msg-1", canary).expect("seal");
        assert!(!sealed.windows(canary.len()).any(|w| w == canary));
        assert_eq!(
            ring.open(b"msg-1", &sealed).expect("open").as_slice(),
            canary
        );
    }

    #[test]
    fn open_refuses_wrong_aad_and_any_flipped_byte() {
        let (ring, tenant, _) = ring_with_tenant();
        let sealed = ring.seal(tenant, b"msg-1", b"hello world").expect("seal");
        assert_eq!(ring.open(b"msg-2", &sealed), Err(CryptoError::Integrity));
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 0x01;
            assert!(ring.open(b"msg-1", &t).is_err(), "flip at {i} must fail");
        }
        assert!(ring.open(b"msg-1", &sealed[..sealed.len() - 1]).is_err());
        assert!(ring.open(b"msg-1", b"").is_err());
    }

    #[test]
    fn keys_reload_from_wrapped_form_and_master_rotates() {
        let (ring, tenant, key) = ring_with_tenant();
        let sealed = ring.seal(tenant, b"a", b"body").expect("seal");
        let master_text = {
            // Simulate the binary: the master key is persisted and read back.
            let m = MasterKey::generate().expect("rng");
            let text = m.to_text();
            let back = MasterKey::from_text(&text).expect("parse");
            assert_eq!(back.id(), m.id());
            text
        };
        // A second process with only the stored forms can open the object.
        let other = KeyRing::new(MasterKey::generate().expect("rng"));
        assert!(
            other
                .load(
                    &key.id,
                    tenant,
                    KeyKind::TenantData,
                    &key.wrapped,
                    &key.wrapping_key_id,
                    true
                )
                .is_err()
        );

        // Master rotation: add a new master, rewrap, and a fresh ring with only the new
        // master opens the old object.
        let new_master = MasterKey::from_text(&master_text).expect("parse");
        let new_master_copy = MasterKey::from_text(&master_text).expect("parse");
        ring.add_master(new_master, true);
        let rewrapped = ring.rewrap_all().expect("rewrap");
        let fresh = KeyRing::new(new_master_copy);
        for (id, wrapped) in rewrapped {
            fresh
                .load(
                    &id,
                    tenant,
                    KeyKind::TenantData,
                    &wrapped,
                    &fresh.active_master_id(),
                    true,
                )
                .expect("load rewrapped");
        }
        assert_eq!(fresh.open(b"a", &sealed).expect("open").as_slice(), b"body");
    }

    #[test]
    fn tenant_key_rotation_keeps_old_objects_readable() {
        let (ring, tenant, first) = ring_with_tenant();
        let old = ring.seal(tenant, b"x", b"old").expect("seal");
        let second = ring.generate_tenant_key(tenant).expect("rotate");
        let new = ring.seal(tenant, b"x", b"new").expect("seal");
        assert_eq!(sealed_key_id(&old).expect("id"), first.id);
        assert_eq!(sealed_key_id(&new).expect("id"), second.id);
        assert_eq!(ring.open(b"x", &old).expect("open").as_slice(), b"old");
        assert_eq!(ring.open(b"x", &new).expect("open").as_slice(), b"new");
    }

    #[test]
    fn another_tenants_object_cannot_be_opened_with_a_swapped_key_id() {
        let (ring, t1, _) = ring_with_tenant();
        let t2 = TenantId::new();
        let k2 = ring.generate_tenant_key(t2).expect("key");
        let sealed = ring.seal(t1, b"m", b"secret").expect("seal");
        // Rewrite the key id in the header to tenant 2's key: must not open.
        let id1 = sealed_key_id(&sealed).expect("id");
        assert_eq!(id1.len(), k2.id.len());
        let mut forged = sealed;
        forged[5..5 + id1.len()].copy_from_slice(k2.id.as_bytes());
        assert!(ring.open(b"m", &forged).is_err());
    }

    #[test]
    fn sealing_without_a_tenant_key_is_refused() {
        let ring = KeyRing::new(MasterKey::generate().expect("rng"));
        assert_eq!(
            ring.seal(TenantId::new(), b"", b"x"),
            Err(CryptoError::NoActiveKey)
        );
    }

    #[test]
    fn master_key_text_is_validated() {
        assert!(MasterKey::from_text("id=mk-1\nkey=zz\n").is_err());
        assert!(MasterKey::from_text("key=00\n").is_err());
        assert!(MasterKey::from_text(&format!("id=mk-1\nkey={}\n", "00".repeat(31))).is_err());
        assert!(
            MasterKey::from_text(&format!("version=2\nid=mk-1\nkey={}\n", "00".repeat(32)))
                .is_err()
        );
        assert!(format!("{:?}", MasterKey::generate().expect("rng")).starts_with("MasterKey(mk-"));
    }
}
