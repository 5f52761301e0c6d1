//! Implementations of the ports. They store and send; they decide nothing.

mod aes_gcm_seal;
pub mod dynamodb;
pub mod key_file;
pub mod keys;
pub mod kms;
pub mod kms_sealer;
pub mod outbox;
pub mod seal_key_file;
pub mod ses;
pub mod smtp;
pub mod sqlite;
