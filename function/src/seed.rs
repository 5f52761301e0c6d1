//! A demo directory for the first local run, and large directories for
//! benchmarks.

use rekey_shared::Role;

use crate::domain::model::UserRecord;
use crate::domain::password::generate;
use crate::domain::secret::Secret;
use crate::domain::Rekey;
use crate::ports::StoreError;

const FIRST: &[&str] = &[
    "Adele",
    "Alex",
    "Allan",
    "Amara",
    "Ben",
    "Bianca",
    "Carlos",
    "Chen",
    "Dana",
    "Diego",
    "Elif",
    "Emily",
    "Enrico",
    "Fatima",
    "Grady",
    "Hana",
    "Henrietta",
    "Irvin",
    "Isaiah",
    "Jakob",
    "Johanna",
    "Joni",
    "Kenji",
    "Lee",
    "Leila",
    "Lidia",
    "Lynne",
    "Mateo",
    "Megan",
    "Miriam",
    "Nadia",
    "Nestor",
    "Olga",
    "Omar",
    "Patti",
    "Pradeep",
    "Priya",
    "Raul",
    "Rosa",
    "Sanne",
    "Sofia",
    "Tariq",
    "Thabo",
    "Ulla",
    "Vera",
    "Wei",
    "Xavier",
    "Yara",
    "Yusuf",
    "Zoe",
];

const LAST: &[&str] = &[
    "Adams",
    "Archie",
    "Bakker",
    "Bowen",
    "Castillo",
    "Chowdhury",
    "de Vries",
    "Dubois",
    "Eriksen",
    "Fernandez",
    "Garcia",
    "Graham",
    "Gupta",
    "Haddad",
    "Holloway",
    "Ibrahim",
    "Jansen",
    "Kowalski",
    "Langer",
    "Lorenz",
    "Mahlangu",
    "Moreau",
    "Müller",
    "Nakamura",
    "Nguyen",
    "Novak",
    "O'Brien",
    "Okafor",
    "Patel",
    "Petrov",
    "Quinn",
    "Rossi",
    "Robbins",
    "Sato",
    "Sherman",
    "Siciliani",
    "Smit",
    "Tanaka",
    "Vance",
    "Visser",
    "Wilber",
    "Wilke",
    "Xu",
    "Yilmaz",
    "Zhang",
];

pub const DEMO_DOMAIN: &str = "contoso.example";

/// The seeded admins' sign-in details, shown once to whoever ran Rekey.
pub struct SeededAdmin {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password: Secret,
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// The `i`th generated person: name, and a username unique for all `i`
/// when `numbered` (large directories), or readable `first.last` otherwise.
fn person(i: usize, numbered: bool) -> (String, String) {
    // Stride through the name grid so neighbours differ in both names.
    let first = FIRST[i % FIRST.len()];
    let last = LAST[(i * 7 + (i / FIRST.len()) * 11) % LAST.len()];
    let display = format!("{first} {last}");
    let mut username = format!("{}.{}", ascii_slug(first), ascii_slug(last));
    if numbered {
        username.push_str(&format!(".{i}"));
    }
    (display, username)
}

/// A demo account: its address made up in the demo's domain.
pub fn user_record(
    username: &str,
    display_name: &str,
    role: Role,
    alternate_email: Option<String>,
    password_hash: String,
    now: i64,
) -> UserRecord {
    let email = format!("{username}@{DEMO_DOMAIN}");
    let mut user = UserRecord::new(username, display_name, &email, role, password_hash, now);
    user.alternate_email = alternate_email;
    user
}

/// Seeds the demo directory when the store is empty: one global admin
/// (`admin`), one admin of each other role, and 60 users, every third with
/// an alternate email. Returns the admins' passwords, or `None` when the
/// store already had users.
pub async fn seed_demo(app: &Rekey) -> Result<Option<Vec<SeededAdmin>>, StoreError> {
    if app.store.count_users().await? > 0 {
        return Ok(None);
    }
    let now = app.now();
    let admins = [
        ("admin", "Alex Wilber", Role::GlobalAdmin),
        ("helpdesk", "Diego Siciliani", Role::HelpdeskAdmin),
        ("passwords", "Patti Fernandez", Role::PasswordAdmin),
    ];
    let people: Vec<(String, String)> = (0..60).map(|i| person(i, false)).collect();

    let mut secrets: Vec<Secret> = admins.iter().map(|_| generate(16)).collect();
    // Users get random passwords nobody knows: admins reset them.
    secrets.extend(people.iter().map(|_| generate(16)));
    let hashes = app
        .hasher
        .hash_many(secrets.clone())
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| StoreError::Backend(e.to_string()))?;

    let mut records = Vec::new();
    let mut seeded = Vec::new();
    for (i, (username, name, role)) in admins.iter().enumerate() {
        records.push(user_record(
            username,
            name,
            *role,
            None,
            hashes[i].clone(),
            now,
        ));
        seeded.push(SeededAdmin {
            username: username.to_string(),
            display_name: name.to_string(),
            role: *role,
            password: secrets[i].clone(),
        });
    }
    for (i, (display, username)) in people.iter().enumerate() {
        let alternate =
            (i % 3 == 0).then(|| format!("{}@personal.example", username.replace('.', "")));
        records.push(user_record(
            username,
            display,
            Role::User,
            alternate,
            hashes[admins.len() + i].clone(),
            now,
        ));
    }
    app.store.insert_users(&records).await?;
    Ok(Some(seeded))
}

/// The first global admin of an empty store (`admin`, at `email`), with a
/// generated password that must be changed at first sign-in. `None` when
/// the store already has users.
pub async fn seed_first_admin(app: &Rekey, email: &str) -> Result<Option<SeededAdmin>, StoreError> {
    if app.store.count_users().await? > 0 {
        return Ok(None);
    }
    let now = app.now();
    let password = generate(app.settings.generated_password_len);
    let hash = app
        .hasher
        .hash(password.clone())
        .await
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    let mut admin = UserRecord::new(
        "admin",
        "Administrator",
        email,
        Role::GlobalAdmin,
        hash,
        now,
    );
    admin.must_change_password = true;
    admin.temp_password_expires_at = Some(now + app.settings.temp_password_ttl_ms);
    app.store.insert_users(std::slice::from_ref(&admin)).await?;
    Ok(Some(SeededAdmin {
        username: admin.username,
        display_name: admin.display_name,
        role: admin.role,
        password,
    }))
}

/// `n` users for benchmarks and scale tests, all with `password_hash` (one
/// real hash shared, since computing 100k would take an hour).
pub fn bulk_users(n: usize, password_hash: &str, now: i64) -> Vec<UserRecord> {
    (0..n)
        .map(|i| {
            let (display, username) = person(i, true);
            let alternate =
                (i % 4 == 0).then(|| format!("{}@personal.example", username.replace('.', "")));
            user_record(
                &username,
                &display,
                Role::User,
                alternate,
                password_hash.to_string(),
                now,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_usernames_are_unique_and_names_vary() {
        let users = bulk_users(5_000, "h", 0);
        let mut names: Vec<&str> = users.iter().map(|u| u.username.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 5_000);
        let mut displays: Vec<&str> = users.iter().map(|u| u.display_name.as_str()).collect();
        displays.sort_unstable();
        displays.dedup();
        assert!(displays.len() > 1_000, "{}", displays.len());
    }

    #[test]
    fn demo_people_have_readable_distinct_usernames() {
        let people: Vec<_> = (0..60).map(|i| person(i, false).1).collect();
        let mut unique = people.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 60);
        assert!(people.iter().all(|u| u.contains('.') && u.is_ascii()));
    }
}
