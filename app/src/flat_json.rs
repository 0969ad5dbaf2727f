//! JSON without serde: fields of an answer (and its nested objects and lists) read through the
//! browser's own `JSON.parse`, and flat objects of strings written for a request. Each serde type the app reads or
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

    /// An object field (absent: every field of it reads empty).
    pub fn sub(&self, key: &str) -> Fields {
        Fields(js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED))
    }

    /// The items of an array field (none when absent or not an array).
    fn items(&self, key: &str) -> Vec<JsValue> {
        let v =
            js_sys::Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
        if js_sys::Array::is_array(&v) {
            js_sys::Array::from(&v).to_vec()
        } else {
            Vec::new()
        }
    }

    /// The objects of an array field (none when absent or not an array).
    pub fn list(&self, key: &str) -> Vec<Fields> {
        self.items(key).into_iter().map(Fields).collect()
    }

    /// The strings of an array field (none when absent; other items are skipped).
    pub fn strings(&self, key: &str) -> Vec<String> {
        self.items(key)
            .iter()
            .filter_map(JsValue::as_string)
            .collect()
    }

    /// The whole numbers of an array field (ids; other items are skipped).
    pub fn ints(&self, key: &str) -> Vec<i64> {
        self.items(key)
            .iter()
            .filter_map(|n| n.as_f64().map(|n| n as i64))
            .collect()
    }

    /// A points field (`"12.50"`), when present and well formed.
    pub fn points(&self, key: &str) -> Option<pointdesk_api::WirePoints> {
        self.get(key).parse().ok().map(pointdesk_api::WirePoints)
    }

    /// A whole-number field (0 when absent).
    pub fn int(&self, key: &str) -> i64 {
        self.get(key).parse().unwrap_or(0)
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
