//! Request-body validation producing Diia's 422 field errors (fastest-validator rule names and
//! message wording, `params.` prefix stripped).

use serde_json::{Map, Value, json};

use crate::error::{ApiError, FieldError};

/// Collects field errors while reading typed values out of a JSON object.
pub(crate) struct Validator<'a> {
    obj: Option<&'a Map<String, Value>>,
    errors: Vec<FieldError>,
}

fn err(
    kind: &str,
    field: &str,
    message: String,
    expected: Option<Value>,
    actual: Option<&Value>,
) -> FieldError {
    FieldError {
        kind: kind.into(),
        expected,
        actual: actual.cloned(),
        field: field.into(),
        message,
    }
}

impl<'a> Validator<'a> {
    /// Starts validating `body`; a non-object body yields one `object` error.
    pub(crate) fn new(body: &'a Value) -> Self {
        let mut v = Self { obj: body.as_object(), errors: Vec::new() };
        if v.obj.is_none() {
            v.errors.push(err(
                "object",
                "params",
                "The 'params' field must be an Object.".into(),
                None,
                Some(body),
            ));
        }
        v
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.obj.and_then(|o| o.get(field)).filter(|v| !v.is_null())
    }

    fn required(&mut self, field: &str) {
        if self.obj.is_some() {
            self.errors.push(err(
                "required",
                field,
                format!("The '{field}' field is required."),
                None,
                None,
            ));
        }
    }

    /// A string with a length in `min..=max`; absent → `required` unless `optional`.
    pub(crate) fn string(
        &mut self,
        field: &str,
        min: usize,
        max: usize,
        optional: bool,
    ) -> Option<String> {
        let Some(v) = self.get(field) else {
            if !optional {
                self.required(field);
            }
            return None;
        };
        let Some(s) = v.as_str() else {
            self.errors.push(err(
                "string",
                field,
                format!("The '{field}' field must be a string."),
                None,
                Some(v),
            ));
            return None;
        };
        let len = s.chars().count();
        if len == 0 && !optional {
            self.errors.push(err(
                "stringEmpty",
                field,
                format!("The '{field}' field must not be empty."),
                None,
                Some(v),
            ));
            return None;
        }
        if len < min {
            self.errors.push(err(
                "stringMin",
                field,
                format!("The '{field}' field length must be greater than or equal to {min} characters long."),
                Some(json!(min)),
                Some(&json!(len)),
            ));
            return None;
        }
        if len > max {
            self.errors.push(err(
                "stringMax",
                field,
                format!("The '{field}' field length must be less than or equal to {max} characters long."),
                Some(json!(max)),
                Some(&json!(len)),
            ));
            return None;
        }
        Some(s.to_string())
    }

    /// One of `allowed`.
    pub(crate) fn enum_str(
        &mut self,
        field: &str,
        allowed: &[&str],
        optional: bool,
    ) -> Option<String> {
        let s = self.string(field, 0, usize::MAX, optional)?;
        if allowed.contains(&s.as_str()) {
            Some(s)
        } else {
            self.errors.push(err(
                "enumValue",
                field,
                format!(
                    "The '{field}' field value '{}' does not match any of the allowed values.",
                    allowed.join(", ")
                ),
                Some(json!(allowed.join(", "))),
                Some(&json!(s)),
            ));
            None
        }
    }

    /// An array of strings each in `allowed` (any string when `allowed` is empty).
    pub(crate) fn string_array(
        &mut self,
        field: &str,
        allowed: &[&str],
        optional: bool,
    ) -> Option<Vec<String>> {
        let Some(v) = self.get(field) else {
            if !optional {
                self.required(field);
            }
            return None;
        };
        let Some(items) = v.as_array() else {
            self.errors.push(err(
                "array",
                field,
                format!("The '{field}' field must be an array."),
                None,
                Some(v),
            ));
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let f = format!("{field}[{i}]");
            match item.as_str() {
                Some(s) if allowed.is_empty() || allowed.contains(&s) => out.push(s.to_string()),
                Some(s) => {
                    ok = false;
                    self.errors.push(err(
                        "enumValue",
                        &f,
                        format!(
                            "The '{f}' field value '{}' does not match any of the allowed values.",
                            allowed.join(", ")
                        ),
                        Some(json!(allowed.join(", "))),
                        Some(&json!(s)),
                    ));
                }
                None => {
                    ok = false;
                    self.errors.push(err(
                        "string",
                        &f,
                        format!("The '{f}' field must be a string."),
                        None,
                        Some(item),
                    ));
                }
            }
        }
        ok.then_some(out)
    }

    /// A nested object; returns it for further validation with a prefixed field path.
    pub(crate) fn object(&mut self, field: &str, optional: bool) -> Option<&'a Value> {
        let Some(v) = self.get(field) else {
            if !optional {
                self.required(field);
            }
            return None;
        };
        if v.is_object() {
            Some(v)
        } else {
            self.errors.push(err(
                "object",
                field,
                format!("The '{field}' field must be an Object."),
                None,
                Some(v),
            ));
            None
        }
    }

    /// A boolean.
    pub(crate) fn boolean(&mut self, field: &str, optional: bool) -> Option<bool> {
        let Some(v) = self.get(field) else {
            if !optional {
                self.required(field);
            }
            return None;
        };
        let b = v.as_bool();
        if b.is_none() {
            self.errors.push(err(
                "boolean",
                field,
                format!("The '{field}' field must be a boolean."),
                None,
                Some(v),
            ));
        }
        b
    }

    /// An integer in `min..=max`.
    pub(crate) fn integer(
        &mut self,
        field: &str,
        min: i64,
        max: i64,
        optional: bool,
    ) -> Option<i64> {
        let Some(v) = self.get(field) else {
            if !optional {
                self.required(field);
            }
            return None;
        };
        let Some(n) = v.as_i64().filter(|_| v.is_i64() || v.is_u64()) else {
            self.errors.push(err(
                "number",
                field,
                format!("The '{field}' field must be a number."),
                None,
                Some(v),
            ));
            return None;
        };
        if n < min {
            self.errors.push(err(
                "numberMin",
                field,
                format!("The '{field}' field must be greater than or equal to {min}."),
                Some(json!(min)),
                Some(v),
            ));
            return None;
        }
        if n > max {
            self.errors.push(err(
                "numberMax",
                field,
                format!("The '{field}' field must be less than or equal to {max}."),
                Some(json!(max)),
                Some(v),
            ));
            return None;
        }
        Some(n)
    }

    /// Merges errors of a nested validator, prefixing their field paths.
    pub(crate) fn absorb(&mut self, prefix: &str, nested: Validator<'_>) {
        for mut e in nested.errors {
            e.field = format!("{prefix}.{}", e.field);
            e.message = e.message.replacen("'", &format!("'{prefix}."), 1);
            self.errors.push(e);
        }
    }

    /// Adds a custom error.
    pub(crate) fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    /// Ends validation: `Err(422)` when any rule failed.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ApiError::validation(self.errors)) }
    }
}

/// A `required`-style error for "one of these fields".
pub(crate) fn one_of_required(fields: &[&str]) -> FieldError {
    FieldError {
        kind: "required".into(),
        expected: Some(json!(fields.join(" | "))),
        actual: None,
        field: fields.join("|"),
        message: format!(
            "One of the fields {} is required.",
            fields.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ")
        ),
    }
}
