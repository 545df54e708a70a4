//! Translations: English and Spanish built in, more languages from operator-supplied TOML.
//!
//! A catalog is a TOML file of `key = "text"` lines (dotted keys such as `code.label` are
//! flattened), with `{name}` placeholders. English is the reference: an extra language that
//! lacks a key shows the English text for that key. Values are plain text; escaping happens
//! in the templates, so a translation can never inject markup.

use std::collections::BTreeMap;
use std::sync::Arc;

const EN: &str = include_str!("../locales/en.toml");
const ES: &str = include_str!("../locales/es.toml");

/// The key holding a language's own name (e.g. "Español"), used by the language switcher.
const NAME_KEY: &str = "language_name";
/// Upper bound on a catalog's size; operator files are trusted but mistakes are not.
const MAX_CATALOG_BYTES: usize = 256 * 1024;

#[derive(Debug)]
struct Catalog {
    code: String,
    native_name: String,
    texts: BTreeMap<String, String>,
}

/// All loaded languages. Cheap to clone; build it once at start-up.
#[derive(Clone, Debug)]
pub struct Catalogs {
    // Index 0 is always English.
    langs: Vec<Arc<Catalog>>,
    // (code, native name) of every language, for the switcher; rebuilt when one is added.
    names: Arc<Vec<(String, String)>>,
}

/// One language chosen for a request. It also knows which other languages exist, so a page
/// can offer a language switcher.
#[derive(Clone, Debug)]
pub struct Lang {
    cat: Arc<Catalog>,
    names: Arc<Vec<(String, String)>>,
}

impl Catalogs {
    /// The built-in catalogs: English and Spanish.
    pub fn builtin() -> Catalogs {
        // The built-in files are part of the source tree and tested below.
        let en = parse_catalog("en", EN, None).expect("built-in en.toml is valid");
        let en = Arc::new(en);
        let es = parse_catalog("es", ES, Some(&en)).expect("built-in es.toml is valid");
        Catalogs::from_langs(vec![en, Arc::new(es)])
    }

    fn from_langs(langs: Vec<Arc<Catalog>>) -> Catalogs {
        let names = langs
            .iter()
            .map(|c| (c.code.clone(), c.native_name.clone()))
            .collect();
        Catalogs {
            langs,
            names: Arc::new(names),
        }
    }

    /// Adds (or replaces) a language from an operator's TOML text. Keys missing from it fall
    /// back to English; keys English does not know are ignored (so an old file keeps working
    /// after an upgrade). Errors: a malformed language tag, invalid TOML, a value that is not
    /// text, or a translation whose `{placeholders}` differ from English's.
    pub fn with_extra(mut self, lang: &str, toml_text: &str) -> Result<Catalogs, String> {
        let code = normalise_tag(lang).ok_or_else(|| format!("invalid language tag {lang:?}"))?;
        if code == "en" {
            // Replacing English would change the fallback for everyone; merge onto it instead.
            let base = Arc::clone(&self.langs[0]);
            let merged = parse_catalog("en", toml_text, Some(&base))?;
            self.langs[0] = Arc::new(merged);
            return Ok(Catalogs::from_langs(self.langs));
        }
        let cat = parse_catalog(&code, toml_text, Some(&self.langs[0]))?;
        match self.langs.iter().position(|c| c.code == code) {
            Some(i) => self.langs[i] = Arc::new(cat),
            None => self.langs.push(Arc::new(cat)),
        }
        Ok(Catalogs::from_langs(self.langs))
    }

    /// Chooses a language: an explicit choice (e.g. `?lang=es` or a cookie) if supported, then
    /// the browser's `Accept-Language` by q-value, then English.
    pub fn negotiate(&self, explicit: Option<&str>, accept_language: Option<&str>) -> Lang {
        if let Some(l) = explicit.and_then(|e| self.find(e)) {
            return l;
        }
        if let Some(header) = accept_language {
            for tag in accept_language_order(header) {
                if let Some(l) = self.find(&tag) {
                    return l;
                }
            }
        }
        self.english()
    }

    /// The reference language.
    pub fn english(&self) -> Lang {
        Lang {
            cat: Arc::clone(&self.langs[0]),
            names: Arc::clone(&self.names),
        }
    }

    /// Looks up a language by tag: exact match first, then the primary subtag
    /// (`es-MX` → `es`).
    pub fn get(&self, tag: &str) -> Option<Lang> {
        self.find(tag)
    }

    /// `(code, native name)` of every language, English first, for a language switcher.
    pub fn languages(&self) -> Vec<(String, String)> {
        self.names.as_ref().clone()
    }

    fn find(&self, tag: &str) -> Option<Lang> {
        let tag = normalise_tag(tag)?;
        let by = |code: &str| {
            self.langs.iter().find(|c| c.code == code).map(|c| Lang {
                cat: Arc::clone(c),
                names: Arc::clone(&self.names),
            })
        };
        by(&tag).or_else(|| by(tag.split('-').next().unwrap_or(&tag)))
    }
}

impl Lang {
    /// The language tag, e.g. `es`, for `<html lang>`.
    pub fn code(&self) -> &str {
        &self.cat.code
    }

    /// The language's own name, e.g. `Español`.
    pub fn native_name(&self) -> &str {
        &self.cat.native_name
    }

    /// `(code, native name)` of every loaded language, English first.
    pub fn languages(&self) -> &[(String, String)] {
        &self.names
    }

    /// The text for `key`. An unknown key (a programming error caught by the tests) shows the
    /// key itself rather than failing the page.
    pub fn t<'a>(&'a self, key: &'a str) -> &'a str {
        self.cat.texts.get(key).map(String::as_str).unwrap_or(key)
    }

    /// The text for `key` with `{name}` placeholders replaced by plain-text values.
    /// Replacement is single-pass, so a value containing `{other}` is not expanded again.
    pub fn t_args(&self, key: &str, args: &[(&str, &str)]) -> String {
        let text = self.t(key);
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find('}') {
                Some(close) => {
                    let name = &after[..close];
                    match args.iter().find(|(n, _)| *n == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            out.push('{');
                            out.push_str(name);
                            out.push('}');
                        }
                    }
                    rest = &after[close + 1..];
                }
                None => {
                    out.push_str(&rest[open..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The `{placeholder}` names in a text, sorted and deduplicated.
pub fn placeholders(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(after[..close].to_string());
        rest = &after[close + 1..];
    }
    out.sort();
    out.dedup();
    out
}

fn parse_catalog(code: &str, text: &str, base: Option<&Catalog>) -> Result<Catalog, String> {
    if text.len() > MAX_CATALOG_BYTES {
        return Err(format!(
            "catalog {code} is larger than {MAX_CATALOG_BYTES} bytes"
        ));
    }
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| format!("catalog {code}: invalid TOML: {}", e.message()))?;
    let mut own = BTreeMap::new();
    flatten("", &table, &mut own).map_err(|k| format!("catalog {code}: {k} is not text"))?;

    let mut texts = base.map(|b| b.texts.clone()).unwrap_or_default();
    for (k, v) in own.iter() {
        if let Some(base) = base {
            let Some(reference) = base.texts.get(k) else {
                continue; // unknown key: ignored
            };
            if placeholders(reference) != placeholders(v) {
                return Err(format!(
                    "catalog {code}: {k} has placeholders {:?}, expected {:?}",
                    placeholders(v),
                    placeholders(reference)
                ));
            }
        }
        texts.insert(k.clone(), v.clone());
    }
    // The language's own name never falls back to English's "English".
    let native_name = own
        .get(NAME_KEY)
        .cloned()
        .unwrap_or_else(|| code.to_string());
    texts.insert(NAME_KEY.to_string(), native_name.clone());
    Ok(Catalog {
        code: code.to_string(),
        native_name,
        texts,
    })
}

fn flatten(
    prefix: &str,
    table: &toml::Table,
    out: &mut BTreeMap<String, String>,
) -> Result<(), String> {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            toml::Value::Table(t) => flatten(&key, t, out)?,
            _ => return Err(key),
        }
    }
    Ok(())
}

/// Lower-cases and checks a BCP 47-like tag: a 2–3 letter primary subtag, then up to three
/// 1–8 character alphanumeric subtags (`es`, `pt-br`, `zh-hant-tw`). `_` is read as `-`.
fn normalise_tag(tag: &str) -> Option<String> {
    let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = tag.split('-');
    let primary = parts.next()?;
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut n = 0;
    for p in parts {
        n += 1;
        if n > 3 || p.is_empty() || p.len() > 8 || !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
    }
    Some(tag)
}

/// Tags from an `Accept-Language` header, best first (stable for equal q), without q=0.
fn accept_language_order(header: &str) -> Vec<String> {
    let mut tags: Vec<(u32, usize, String)> = header
        .split(',')
        .take(32)
        .enumerate()
        .filter_map(|(i, item)| {
            let mut bits = item.split(';');
            let tag = bits.next()?.trim();
            if tag.is_empty() || tag == "*" {
                return None;
            }
            let mut q = 1000u32;
            for p in bits {
                if let Some(v) = p.trim().strip_prefix("q=") {
                    q = parse_q(v.trim())?;
                }
            }
            (q > 0).then(|| (q, i, tag.to_string()))
        })
        .collect();
    tags.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.into_iter().map(|(_, _, t)| t).collect()
}

/// Parses a q-value (`0`, `0.8`, `1.000`) into thousandths.
fn parse_q(v: &str) -> Option<u32> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let int: u32 = match int {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let mut f: u32 = 0;
    for (i, b) in frac.bytes().enumerate() {
        f += u32::from(b - b'0') * [100, 10, 1][i];
    }
    let q = int * 1000 + f;
    (q <= 1000).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own_keys(text: &str) -> BTreeMap<String, String> {
        let table: toml::Table = text.parse().expect("valid toml");
        let mut out = BTreeMap::new();
        flatten("", &table, &mut out).expect("all strings");
        out
    }

    #[test]
    fn english_and_spanish_have_the_same_keys_and_placeholders() {
        let en = own_keys(EN);
        let es = own_keys(ES);
        let en_keys: Vec<_> = en.keys().collect();
        let es_keys: Vec<_> = es.keys().collect();
        assert_eq!(en_keys, es_keys, "en.toml and es.toml differ in keys");
        for (k, v) in &en {
            assert_eq!(
                placeholders(v),
                placeholders(&es[k]),
                "placeholders differ in {k}"
            );
            assert!(!es[k].trim().is_empty(), "empty Spanish text for {k}");
        }
    }

    #[test]
    fn spanish_is_actually_translated() {
        let c = Catalogs::builtin();
        let es = c.get("es").expect("es");
        assert_eq!(es.code(), "es");
        assert_eq!(es.t("code.resend"), "Enviar un código nuevo");
        let en = c.english();
        let same = own_keys(EN)
            .keys()
            .filter(|k| !k.starts_with("size."))
            .filter(|k| en.t(k) == es.t(k))
            .count();
        assert_eq!(same, 0, "some Spanish texts are still English");
    }

    #[test]
    fn negotiate_prefers_explicit_then_accept_language_then_english() {
        let c = Catalogs::builtin();
        assert_eq!(c.negotiate(Some("es"), Some("en")).code(), "es");
        assert_eq!(c.negotiate(Some("xx"), Some("es-MX,en;q=0.5")).code(), "es");
        assert_eq!(
            c.negotiate(None, Some("fr, en;q=0.4, es;q=0.9")).code(),
            "es"
        );
        assert_eq!(c.negotiate(None, Some("es;q=0, en")).code(), "en");
        assert_eq!(c.negotiate(None, Some("de, fr")).code(), "en");
        assert_eq!(c.negotiate(None, Some("garbage;;;q=x")).code(), "en");
        assert_eq!(c.negotiate(Some("<script>"), None).code(), "en");
        assert_eq!(c.negotiate(None, None).code(), "en");
    }

    #[test]
    fn t_args_fills_placeholders_without_reexpanding() {
        let c = Catalogs::builtin();
        let en = c.english();
        assert_eq!(
            en.t_args("landing.heading", &[("org", "Sunny Vale Clinic")]),
            "You have a secure message from Sunny Vale Clinic"
        );
        assert_eq!(
            en.t_args("landing.heading", &[("org", "{org}<b>")]),
            "You have a secure message from {org}<b>"
        );
        assert_eq!(en.t("no.such.key"), "no.such.key");
    }

    #[test]
    fn extra_language_falls_back_to_english_per_key() {
        let c = Catalogs::builtin()
            .with_extra(
                "fr",
                "language_name = \"Français\"\n[code]\nresend = \"Envoyer un nouveau code\"\n",
            )
            .expect("valid");
        let fr = c.negotiate(None, Some("fr-CA"));
        assert_eq!(fr.code(), "fr");
        assert_eq!(fr.t("code.resend"), "Envoyer un nouveau code");
        assert_eq!(fr.t("code.submit"), "Open the message");
        assert_eq!(
            c.languages(),
            vec![
                ("en".to_string(), "English".to_string()),
                ("es".to_string(), "Español".to_string()),
                ("fr".to_string(), "Français".to_string())
            ]
        );
    }

    #[test]
    fn extra_language_errors_are_reported() {
        let b = Catalogs::builtin;
        assert!(b().with_extra("f", "").is_err());
        assert!(b().with_extra("fr/../x", "").is_err());
        assert!(b().with_extra("fr", "not toml =").is_err());
        assert!(b().with_extra("fr", "code.resend = 3").is_err());
        assert!(
            b().with_extra("fr", "landing.heading = \"Message de {organisation}\"")
                .is_err()
        );
        // Unknown keys are ignored, and a language without a name is shown by its code.
        let c = b().with_extra("pt-BR", "old.key = \"x\"").expect("ok");
        assert_eq!(c.get("pt-br").expect("pt").native_name(), "pt-br");
    }

    #[test]
    fn q_values_parse_strictly() {
        assert_eq!(parse_q("1"), Some(1000));
        assert_eq!(parse_q("0.8"), Some(800));
        assert_eq!(parse_q("0.125"), Some(125));
        assert_eq!(parse_q("1.5"), None);
        assert_eq!(parse_q("0.1234"), None);
        assert_eq!(parse_q("abc"), None);
    }
}
