//! One run, four figures (README "Speed"):
//!   1. one bare argon2id hash (OWASP minimum parameters);
//!   2. one full single-user reset through the service (SQLite + outbox,
//!      emailed to one recipient), and its ratio to (1);
//!   3. a 1,000-user bulk reset, and its ratio to 1,000 hashes / cores;
//!   4. users search at 100,000 users, p50 and p95 over many prefixes.
//!
//! `cargo bench -p rekey-function --bench reset`

use std::sync::Arc;
use std::time::{Duration, Instant};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use rekey_function::adapters::outbox::OutboxMailer;
use rekey_function::adapters::sqlite::SqliteStore;
use rekey_function::domain::hashing::{HashParams, Hasher};
use rekey_function::domain::password::generate;
use rekey_function::domain::{Ports, Rekey, Settings};
use rekey_function::ports::{SystemClock, UserStore};
use rekey_function::seed::{bulk_users, user_record};
use rekey_shared::{BulkResetRequest, ResetOptions, Role};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

async fn app(dir: &std::path::Path, hasher: Hasher) -> (Arc<Rekey>, SqliteStore) {
    let store = SqliteStore::open(&dir.join("bench.db")).unwrap();
    let mailer = OutboxMailer::new(dir.join("outbox"), "Rekey <no-reply@rekey.example>").unwrap();
    let signer = rekey_function::adapters::key_file::KeyFileSigner::open_or_create(
        &dir.join("signing-keys.json"),
        0,
    )
    .unwrap();
    let ports = Ports {
        store: Arc::new(store.clone()),
        mailer: Arc::new(mailer),
        clock: Arc::new(SystemClock),
        signer: Arc::new(signer),
        sealer: Arc::new(
            rekey_function::adapters::seal_key_file::KeyFileSealer::open_or_create(
                &dir.join("seal-key"),
            )
            .unwrap(),
        ),
    };
    let app = Arc::new(Rekey::new(ports, hasher, Settings::default()));
    (app, store)
}

#[tokio::main]
async fn main() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let hasher = Hasher::new(HashParams::default(), 0).unwrap();
    println!("Rekey reset benchmark: {cores} cores, argon2id m=19456 KiB t=2 p=1\n");

    // 1. One bare hash: the argon2 crate's own call, nothing of Rekey's.
    let pw = generate(16);
    let reference = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(19_456, 2, 1, None).unwrap(),
    );
    let bare = median(
        (0..31)
            .map(|_| {
                let salt = SaltString::generate(&mut OsRng);
                let t = Instant::now();
                reference
                    .hash_password(pw.expose().as_bytes(), &salt)
                    .unwrap();
                t.elapsed()
            })
            .collect(),
    );

    // 2. One full reset through the service.
    let dir = tempfile::tempdir().unwrap();
    let (rekey, store) = app(dir.path(), hasher.clone()).await;
    let admin = user_record(
        "admin",
        "Alex Wilber",
        Role::GlobalAdmin,
        None,
        "x".into(),
        0,
    );
    let target = user_record(
        "megan.bowen",
        "Megan Bowen",
        Role::User,
        None,
        "x".into(),
        0,
    );
    store
        .insert_users(&[admin.clone(), target.clone()])
        .await
        .unwrap();
    let options = ResetOptions {
        email_to: vec!["it@contoso.example".into()],
        ..ResetOptions::default()
    };
    let mut singles = Vec::new();
    for i in 0..32 {
        let t = Instant::now();
        rekey
            .reset_password(&admin, &target.id, &options)
            .await
            .unwrap();
        if i >= 2 {
            singles.push(t.elapsed());
        }
    }
    let single = median(singles);

    // 3. A 1,000-user bulk reset (no email, so only the reset is timed).
    let users = bulk_users(1_000, "x", 0);
    store.insert_users(&users).await.unwrap();
    let request = BulkResetRequest {
        user_ids: users.iter().map(|u| u.id.clone()).collect(),
        options: ResetOptions::default(),
    };
    let mut bulks = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let r = rekey.reset_passwords(&admin, &request).await.unwrap();
        bulks.push(t.elapsed());
        assert_eq!(r.succeeded, 1_000);
    }
    let bulk = median(bulks);
    let ideal_bulk = bare * 1_000 / cores as u32;

    // 4. Search at 100,000 users.
    let big = tempfile::tempdir().unwrap();
    let (rekey_big, big_store) = app(big.path(), hasher.clone()).await;
    let t = Instant::now();
    let hash = hasher.hash_blocking(&pw).unwrap();
    let mut people = bulk_users(100_000, &hash, 0);
    // As provisioned over SCIM: every user with the identity provider's id.
    for (i, u) in people.iter_mut().enumerate() {
        u.external_id = Some(format!("00u{i:08}"));
    }
    for chunk in people.chunks(10_000) {
        big_store.insert_users(chunk).await.unwrap();
    }
    big_store
        .insert_users(std::slice::from_ref(&admin))
        .await
        .unwrap();
    big_store.analyze().await.unwrap();
    let seeded_in = t.elapsed();
    // What an admin types: 1 to 6 leading characters of real names,
    // usernames and emails, plus the empty list view.
    let mut prefixes = vec![String::new()];
    for (i, u) in people.iter().step_by(97).enumerate() {
        let source = match i % 4 {
            0 => u.display_name.to_lowercase(),
            1 => u
                .display_name
                .to_lowercase()
                .rsplit(' ')
                .next()
                .unwrap()
                .to_string(),
            2 => u.username.clone(),
            _ => u.email.clone(),
        };
        let n = 1 + i % 6;
        prefixes.push(source.chars().take(n).collect());
    }
    for p in prefixes.iter().take(50) {
        rekey_big
            .search_users(&admin, p, None, 50, false)
            .await
            .unwrap();
    }
    let mut searches: Vec<Duration> = Vec::new();
    for p in &prefixes {
        let t = Instant::now();
        rekey_big
            .search_users(&admin, p, None, 50, false)
            .await
            .unwrap();
        searches.push(t.elapsed());
    }
    searches.sort();

    // 5. SCIM lists with a filter at 100,000 users, as an HR system or an
    // identity provider sends them (first page of 100).
    let mut filters = Vec::new();
    for (i, u) in people.iter().step_by(331).enumerate() {
        filters.push(match i % 4 {
            0 => format!("userName eq \"{}\"", u.username),
            1 => format!("emails.value eq \"{}\"", u.email),
            2 => format!(
                "externalId eq \"{}\"",
                u.external_id.as_deref().unwrap_or_default()
            ),
            _ => format!(
                "displayName sw \"{}\"",
                u.display_name.chars().take(3 + i % 4).collect::<String>()
            ),
        });
    }
    let mut scim_lists: Vec<Duration> = Vec::new();
    for f in &filters {
        let t = Instant::now();
        let (total, _) = rekey_big.scim_list(Some(f), 1, 100).await.unwrap();
        scim_lists.push(t.elapsed());
        assert!(total >= 1, "{f}");
    }
    scim_lists.sort();
    // Pages of the whole directory as a sync reads them: every 10th page
    // in order, then 100 at random offsets.
    let mut scim_pages: Vec<Duration> = Vec::new();
    let mut offsets: Vec<usize> = (0..1_000).step_by(10).map(|p| 1 + p * 100).collect();
    offsets.extend((0..100).map(|i| 1 + (i * 7_919) % 99_900));
    for start in offsets {
        let t = Instant::now();
        let (total, page) = rekey_big.scim_list(None, start, 100).await.unwrap();
        scim_pages.push(t.elapsed());
        assert_eq!((total, page.len()), (100_000, 100), "startIndex {start}");
    }
    scim_pages.sort();

    // 6. "Add multiple users": 10,000 CSV rows into SQLite, generated
    // passwords (10,000 argon2id hashes: the floor).
    let import_dir = tempfile::tempdir().unwrap();
    let (rekey_import, import_store) = app(import_dir.path(), hasher.clone()).await;
    import_store
        .insert_users(std::slice::from_ref(&admin))
        .await
        .unwrap();
    let mut csv =
        String::from("User Name,First Name,Last Name,Display Name,Email,Alternate Email,Role\r\n");
    for i in 0..10_000 {
        csv.push_str(&format!(
            "import.{i},Ada{i},Byron,,import.{i}@contoso.example,,User\r\n"
        ));
    }
    let t = Instant::now();
    let imported = rekey_import
        .import_users(
            &admin,
            true,
            rekey_shared::ImportRequest {
                csv,
                require_change: true,
            },
        )
        .await
        .map_err(|_| "import refused")
        .unwrap();
    let import_took = t.elapsed();
    assert_eq!(imported.created, 10_000);
    let import_floor = bare * 10_000 / cores as u32;

    println!("| measurement | result | goal |");
    println!("|---|---|---|");
    println!("| one bare argon2id hash | {:.1} ms | |", ms(bare));
    println!(
        "| one reset through the service (SQLite + outbox, 1 email) | {:.1} ms = {:.3}x bare hash | <= 1.15x |",
        ms(single),
        single.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "| 1,000-user bulk reset | {:.0} ms = {:.3}x (1,000 hashes / {cores} cores = {:.0} ms) | <= 1.15x |",
        ms(bulk),
        bulk.as_secs_f64() / ideal_bulk.as_secs_f64(),
        ms(ideal_bulk)
    );
    println!(
        "| users search at 100,000 users ({} prefixes) | p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms | p95 <= 10 ms |",
        searches.len(),
        ms(percentile(&searches, 0.50)),
        ms(percentile(&searches, 0.95)),
        ms(*searches.last().unwrap())
    );
    println!(
        "| SCIM list with a filter at 100,000 users ({} filters: userName eq, emails.value eq, externalId eq, displayName sw) | p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms | p95 <= 10 ms |",
        scim_lists.len(),
        ms(percentile(&scim_lists, 0.50)),
        ms(percentile(&scim_lists, 0.95)),
        ms(*scim_lists.last().unwrap())
    );
    println!(
        "| SCIM list pages of the whole directory at 100,000 users ({} pages of 100: 100 in order, 100 at random startIndex) | p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms | p95 <= 10 ms |",
        scim_pages.len(),
        ms(percentile(&scim_pages, 0.50)),
        ms(percentile(&scim_pages, 0.95)),
        ms(*scim_pages.last().unwrap())
    );
    println!(
        "| import of 10,000 CSV rows (SQLite, generated passwords) | {:.1} s = {:.3}x (10,000 hashes / {cores} cores = {:.1} s) | |",
        import_took.as_secs_f64(),
        import_took.as_secs_f64() / import_floor.as_secs_f64(),
        import_floor.as_secs_f64()
    );
    println!(
        "\n(100,000 users seeded in {:.1} s)",
        seeded_in.as_secs_f64()
    );
}
