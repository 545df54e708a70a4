//! Great-circle distance and the impossible-travel test.

use std::time::Duration;

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Below this distance two geolocations are treated as the same place: IP geolocation is
/// rarely more precise, so nearer moves never count as impossible travel.
pub(crate) const NOISE_FLOOR_KM: f64 = 100.0;

/// Below this elapsed time two sign-ins count as simultaneous.
const SIMULTANEOUS: Duration = Duration::from_secs(60);

/// Haversine distance in kilometres between two `(latitude, longitude)` points in degrees.
pub fn great_circle_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let dlat = lat2 - lat1;
    let dlon = lon2 - lon1;
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().clamp(0.0, 1.0).asin()
}

/// Whether moving between two points in `elapsed` needs more than `max_kmh`.
pub(crate) fn is_impossible(
    from: (f64, f64),
    to: (f64, f64),
    elapsed: Duration,
    max_kmh: f64,
) -> bool {
    let km = great_circle_km(from, to);
    if !km.is_finite() {
        // Coordinates out of range or NaN: cannot judge, so treat as impossible (fail closed).
        return true;
    }
    if km <= NOISE_FLOOR_KM {
        return false;
    }
    if elapsed < SIMULTANEOUS {
        return true;
    }
    let hours = elapsed.as_secs_f64() / 3600.0;
    km / hours > max_kmh
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW_YORK: (f64, f64) = (40.7128, -74.0060);
    const LONDON: (f64, f64) = (51.5074, -0.1278);

    #[test]
    fn new_york_to_london_is_about_5570_km() {
        let km = great_circle_km(NEW_YORK, LONDON);
        assert!((5550.0..5600.0).contains(&km), "{km}");
        assert!(great_circle_km(LONDON, LONDON).abs() < 1e-9);
    }

    #[test]
    fn speed_threshold() {
        let hour = Duration::from_secs(3600);
        assert!(is_impossible(NEW_YORK, LONDON, hour, 900.0));
        assert!(!is_impossible(NEW_YORK, LONDON, hour * 8, 900.0));
    }

    #[test]
    fn simultaneous_and_noise_floor() {
        assert!(is_impossible(NEW_YORK, LONDON, Duration::ZERO, 900.0));
        // 50 km apart at the same moment: within geolocation noise.
        let near = (NEW_YORK.0 + 0.45, NEW_YORK.1);
        assert!(!is_impossible(NEW_YORK, near, Duration::ZERO, 900.0));
    }

    #[test]
    fn nan_fails_closed() {
        assert!(is_impossible(
            (f64::NAN, 0.0),
            LONDON,
            Duration::from_secs(86_400),
            900.0
        ));
    }
}
