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

/// Creates the table (on-demand billing) with its four indexes.
pub async fn create_table(client: &Client, table: &str) -> Result<(), StoreError> {
    let mut request = client
        .create_table()
        .table_name(table)
        .billing_mode(BillingMode::PayPerRequest)
        .key_schema(key("pk", KeyType::Hash)?)
        .key_schema(key("sk", KeyType::Range)?);
    for name in [
        "pk", "sk", "g1pk", "g1sk", "g2pk", "g2sk", "g3pk", "g3sk", "g4pk", "g4sk",
    ] {
        request = request.attribute_definitions(
            AttributeDefinition::builder()
                .attribute_name(name)
                .attribute_type(ScalarAttributeType::S)
                .build()
                .map_err(backend)?,
        );
    }
    for (name, pk, sk) in [
        (BY_NAME, "g1pk", "g1sk"),
        (BY_TERM, "g2pk", "g2sk"),
        (BY_ROLE, "g3pk", "g3sk"),
        (BY_REQUEST, "g4pk", "g4sk"),
    ] {
        request = request.global_secondary_indexes(index(name, pk, sk)?);
    }
    request.send().await.map_err(backend)?;
    Ok(())
}
