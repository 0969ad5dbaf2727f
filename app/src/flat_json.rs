//! Flat JSON objects without serde: fields of an answer read through the browser's own
//! `JSON.parse`, and objects of strings written for a request. Each serde type the app reads or
//! writes costs its own instantiated code (1–3 KB brotli per type); the billing screens read and
//! write a handful of flat objects, so they share these functions instead (the bundle's
//! budget).

use wasm_bindgen::JsValue;

/// An answer's object, as the browser parsed it (`undefined` when it is not JSON).
pub struct Fields(JsValue);

/// Parses an answer's text.
pub fn fields(text: &str) -> Fields {
    Fields(js_sys::JSON::parse(text).unwrap_or(JsValue::UNDEFINED))
}

impl Fields {
    /// A string or whole-number field as text (empty when absent or of another kind; whole
    /// numbers only: formatting a float would bring its formatting code into the app).
    pub fn get(&self, key: &str) -> String {
        let v =
            js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        v.as_string()
            .or_else(|| v.as_f64().map(|n| (n as i64).to_string()))
            .unwrap_or_default()
    }

    /// A boolean field (false when absent or of another kind).
    pub fn flag(&self, key: &str) -> bool {
        js_sys::Reflect::get(&self.0, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }
}

/// A JSON string literal of `s`.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An object of string fields: `{"a":"x","b":"y"}`.
pub fn object(fields: &[(&str, String)]) -> String {
    let inner: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_escaped_json() {
        let text = object(&[("inn", "77\"07".to_owned()), ("kpp", "a\\b\nc".to_owned())]);
        assert_eq!(text, r#"{"inn":"77\"07","kpp":"a\\b\u000ac"}"#);
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed["kpp"], "a\\b\nc");
        assert_eq!(quote("ИНН"), "\"ИНН\"");
    }
}
