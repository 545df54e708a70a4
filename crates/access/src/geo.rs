//! Country and coordinates of an IP address from a MaxMind-format `.mmdb` file the
//! operator supplies (GeoLite2-Country or GeoLite2-City layout). The only module in this
//! crate that does I/O: it reads the whole file once in [`GeoDb::open`].
//!
//! Lookups never log; errors never contain the address looked up.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;

use maxminddb::{Reader, geoip2};

/// What the database knows about an address. Personal data: keep it out of logs.
#[derive(Clone, PartialEq)]
pub struct GeoInfo {
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// `(latitude, longitude)` in degrees, present in City databases.
    pub location: Option<(f64, f64)>,
}

impl fmt::Debug for GeoInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("GeoInfo(<redacted>)")
    }
}

/// Why a database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The file could not be read.
    #[error("cannot read the geolocation database: {0}")]
    Io(#[from] std::io::Error),
    /// The file is not a usable MaxMind DB.
    #[error("invalid geolocation database: {0}")]
    Invalid(String),
}

/// An opened `.mmdb` file, held in memory.
pub struct GeoDb {
    reader: Reader<Vec<u8>>,
}

impl fmt::Debug for GeoDb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeoDb")
            .field("database_type", &self.reader.metadata().database_type)
            .finish_non_exhaustive()
    }
}

impl GeoDb {
    /// Reads and checks the database at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<GeoDb, GeoError> {
        let bytes = std::fs::read(path)?;
        Self::from_bytes(bytes)
    }

    /// Checks a database already in memory.
    pub fn from_bytes(bytes: Vec<u8>) -> Result<GeoDb, GeoError> {
        let reader = Reader::from_source(bytes).map_err(|e| GeoError::Invalid(e.to_string()))?;
        Ok(GeoDb { reader })
    }

    /// The `database_type` from the file's metadata, e.g. `GeoLite2-City`.
    pub fn database_type(&self) -> &str {
        &self.reader.metadata().database_type
    }

    /// The country (and location, if the file has it) of `ip`. `None` when the address
    /// is not in the database, has no valid country code, or its record cannot be read;
    /// callers treat that as an unknown country, which country rules deny.
    pub fn lookup(&self, ip: IpAddr) -> Option<GeoInfo> {
        let ip = ip.to_canonical();
        let found = self.reader.lookup(ip).ok()?;
        let record: geoip2::City<'_> = found.decode().ok()??;
        let code = record.country.iso_code?;
        if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        let location = match (record.location.latitude, record.location.longitude) {
            (Some(lat), Some(lon))
                if lat.is_finite()
                    && lon.is_finite()
                    && (-90.0..=90.0).contains(&lat)
                    && (-180.0..=180.0).contains(&lon) =>
            {
                Some((lat, lon))
            }
            _ => None,
        };
        Some(GeoInfo {
            country: code.to_ascii_uppercase(),
            location,
        })
    }
}
