//! The table's shape, for tests and local use. `template.yaml` declares the
//! same table for deployment; keep the two in step.

use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType,
};
use aws_sdk_dynamodb::Client;

use super::items::{backend, BY_NAME, BY_REQUEST, BY_ROLE, BY_TERM};
use crate::ports::StoreError;

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, StoreError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
        .map_err(backend)
}

fn index(name: &str, pk: &str, sk: &str) -> Result<GlobalSecondaryIndex, StoreError> {
    GlobalSecondaryIndex::builder()
        .index_name(name)
        .key_schema(key(pk, KeyType::Hash)?)
        .key_schema(key(sk, KeyType::Range)?)
        .projection(
            Projection::builder()
                .projection_type(ProjectionType::All)
                .build(),
        )
        .build()
        .map_err(backend)
}

/// Every key attribute (all strings).
const ATTRIBUTES: [&str; 10] = [
    "pk", "sk", "g1pk", "g1sk", "g2pk", "g2sk", "g3pk", "g3sk", "g4pk", "g4sk",
];

/// The global secondary indexes: name, partition key, sort key.
const INDEXES: [(&str, &str, &str); 4] = [
    (BY_NAME, "g1pk", "g1sk"),
    (BY_TERM, "g2pk", "g2sk"),
    (BY_ROLE, "g3pk", "g3sk"),
    (BY_REQUEST, "g4pk", "g4sk"),
];

/// Creates the table (on-demand billing) with its four indexes.
pub async fn create_table(client: &Client, table: &str) -> Result<(), StoreError> {
    let mut request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?);
    for name in ATTRIBUTES {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(backend)?,
        );
    }
    for (name, pk, sk) in INDEXES {
        request = request.global_secondary_indexes(index(name, pk, sk)?);
    }
    request.send().await.map_err(backend)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deploy template declares the table this module creates.
    #[test]
    fn the_deploy_template_declares_the_same_keys_and_indexes() {
        let template = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../template.yaml"),
        )
        .unwrap();
        for name in ATTRIBUTES {
            assert!(
                template.contains(&format!("{{ AttributeName: {name}, AttributeType: S }}")),
                "template.yaml lacks attribute {name}"
            );
        }
        for (index, pk, sk) in INDEXES {
            let at = template
                .find(&format!("- IndexName: {index}\n"))
                .unwrap_or_else(|| panic!("template.yaml lacks index {index}"));
            let body = &template[at..];
            let pk_at = body
                .find(&format!("AttributeName: {pk}, KeyType: HASH"))
                .unwrap();
            let sk_at = body
                .find(&format!("AttributeName: {sk}, KeyType: RANGE"))
                .unwrap();
            assert!(pk_at < sk_at && sk_at < body.find("ProjectionType: ALL").unwrap());
        }
        assert!(template.contains("AttributeName: ttl"));
    }
}
