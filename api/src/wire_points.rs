use std::fmt;

use pointdesk_domain::points::{Points, PointsError};
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

/// Points on the wire: the canonical string `"12.25"`. Deserialising accepts the same forms the
/// domain parses and rejects JSON numbers, so a float cannot sneak in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct WirePoints(pub Points);

impl WirePoints {
    pub const ZERO: WirePoints = WirePoints(Points::ZERO);

    /// Hundredths as wire points (zero beyond ±2^53, which the schema never stores).
    pub fn from_hundredths(h: i64) -> WirePoints {
        WirePoints(Points::from_hundredths(h).unwrap_or(Points::ZERO))
    }
}

impl From<Points> for WirePoints {
    fn from(p: Points) -> Self {
        WirePoints(p)
    }
}

impl From<WirePoints> for Points {
    fn from(w: WirePoints) -> Self {
        w.0
    }
}

impl fmt::Display for WirePoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for WirePoints {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for WirePoints {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = WirePoints;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("points as a string such as \"12.25\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WirePoints, E> {
                v.parse::<Points>()
                    .map(WirePoints)
                    .map_err(|e: PointsError| E::custom(e))
            }
        }
        d.deserialize_str(V)
    }
}

/// On the wire a string such as `"12.25"`: at most two decimals, within ±2^53 hundredths.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for WirePoints {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .pattern(Some(r"^-?[0-9]+(\.[0-9]{1,2})?$"))
            .description(Some(
                "Points as a decimal string with at most two decimals (1 point = 1 hour)",
            ))
            .examples([serde_json::json!("12.25")])
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for WirePoints {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_only() {
        let w: WirePoints = serde_json::from_str("\"12.25\"").unwrap();
        assert_eq!(w.0.hundredths(), 1225);
        assert_eq!(serde_json::to_string(&w).unwrap(), "\"12.25\"");
        assert!(
            serde_json::from_str::<WirePoints>("12.25").is_err(),
            "a JSON number is refused"
        );
        assert!(serde_json::from_str::<WirePoints>("\"1.234\"").is_err());
    }
}
