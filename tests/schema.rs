//! The JSON Schema of the report (`schema/report.schema.json`) against the JSON the program
//! writes: the 2022 run, the monthly run, and a run with a basis (`changes`).

mod monthly;
mod support;

use std::path::Path;

use serde_json::Value;

/// The schema, checked against its meta-schema.
fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string("schema/report.schema.json").unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::meta::validate(&schema).expect("a valid JSON Schema");
    jsonschema::validator_for(&schema).unwrap()
}

/// Every place where `document` does not follow the schema.
fn violations(document: &Value) -> Vec<String> {
    schema()
        .iter_errors(document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn json(werkplan: &werkplan::model::Werkplan, report: &werkplan::compute::Report) -> Value {
    let tables = werkplan::render::table::report_tables(report);
    let bytes = werkplan::render::json::render(werkplan, report, &tables).unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn the_2022_json_follows_the_schema() {
    let loaded = werkplan::app::load(Path::new("input"), None, None).unwrap();
    let document = json(&loaded.werkplan, &loaded.report);
    assert_eq!(violations(&document), Vec::<String>::new());
}

#[test]
fn the_monthly_json_with_its_ledger_follows_the_schema() {
    let (werkplan, report, _) = monthly::monthly_2022();
    let document = json(&werkplan, &report);
    assert!(document["ledger"]["bookings"]["lines"].is_array());
    assert_eq!(violations(&document), Vec::<String>::new());
}

#[test]
fn the_schema_refuses_what_the_comparison_cannot_read() {
    let loaded = werkplan::app::load(Path::new("input"), None, None).unwrap();
    let good = json(&loaded.werkplan, &loaded.report);
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut document = good.clone();
        change(&mut document);
        violations(&document)
    };
    let errors = broken(&|d| {
        d["model"].as_object_mut().unwrap().remove("regulier");
    });
    assert!(errors.iter().any(|e| e.contains("regulier")), "{errors:?}");
    let errors = broken(&|d| d["schema"] = Value::from(2));
    assert!(
        errors.iter().any(|e| e.starts_with("/schema")),
        "{errors:?}"
    );
    // an amount as a number, not a decimal string
    let errors = broken(&|d| {
        d["model"]["regulier"]["sections"][0]["lines"][0]["amounts"][0]["value"] =
            Value::from(10000.0)
    });
    assert!(
        errors.iter().any(|e| e.contains("/amounts/0/value")),
        "{errors:?}"
    );
    let errors = broken(&|d| d["model"]["onbekend"] = Value::from(1));
    assert!(!errors.is_empty());
}
