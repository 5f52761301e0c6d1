//! SCIM as Microsoft Entra ID and Okta send it: their provisioning
//! sequences as their documentation shows them, replayed against the real
//! binary, and what a hostile or racing client must not get through.

use reqwest::Method;
use serde_json::{json, Value};

use super::Scim;

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn filter(expression: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("filter", expression)
        .finish()
}

fn patch(operations: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": operations})
}

/// A user as Entra's default attribute mapping sends it: the user principal
/// name as userName, mailNickname as externalId, and every attribute the
/// mapping holds, most of which Rekey does not keep.
fn entra_user(upn: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": "adele.vance",
        "userName": upn,
        "active": true,
        "displayName": "Adele Vance",
        "title": "Retail Manager",
        "preferredLanguage": "nl-NL",
        "emails": [{"primary": true, "type": "work", "value": upn}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Adele Vance", "familyName": "Vance", "givenName": "Adele"},
        "phoneNumbers": [
            {"type": "work", "value": "+31 20 555 0100"},
            {"type": "mobile", "value": "+31 6 5555 0100"}
        ],
        "addresses": [{"type": "work", "formatted": "Herengracht 1, Amsterdam",
                       "streetAddress": "Herengracht 1", "locality": "Amsterdam",
                       "postalCode": "1015 BA", "country": "NL", "primary": false}],
        "roles": [],
        ENTERPRISE: {"employeeNumber": "1042", "department": "Retail",
                     "manager": {"value": "alex.wilber"}}
    })
}

#[tokio::test]
async fn entra_ids_provisioning_sequence_with_its_default_mapping_goes_through() {
    let scim = Scim::start().await;
    let upn = "adele.vance@contoso.example";
    // 1. Entra looks the user up by its matching attribute first.
    let (status, found) = scim
        .call(
            Method::GET,
            &format!("/Users?{}", filter(&format!("userName eq \"{upn}\""))),
            None,
        )
        .await;
    assert_eq!(
        (status, found["totalResults"].as_u64()),
        (200, Some(0)),
        "{found}"
    );
    // 2. Create with the default mapping.
    let (status, created) = scim
        .call(Method::POST, "/Users", Some(entra_user(upn)))
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(created["userName"], upn);
    assert_eq!(created["externalId"], "adele.vance");
    // 3. Found again by userName and by externalId, as Entra and Okta match.
    for expression in [
        format!("userName eq \"{upn}\""),
        "externalId eq \"adele.vance\"".into(),
    ] {
        let (status, list) = scim
            .call(
                Method::GET,
                &format!("/Users?{}", filter(&expression)),
                None,
            )
            .await;
        assert_eq!(
            (status, list["Resources"][0]["id"].as_str()),
            (200, Some(id.as_str())),
            "{expression}"
        );
    }
    // 4. Entra's update PATCH: the work address, a name, an extension field.
    let (status, patched) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(json!([
                {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "adele@contoso.example"},
                {"op": "Replace", "path": "name.familyName", "value": "Vance-Wilber"},
                {"op": "Add", "path": format!("{ENTERPRISE}:employeeNumber"), "value": "1043"},
                {"op": "Replace", "path": "title", "value": "Store Manager"}
            ]))),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["emails"][0]["value"], "adele@contoso.example");
    assert_eq!(patched["name"]["familyName"], "Vance-Wilber");
    // What Rekey keeps, as the admin center shows it.
    let record = scim
        .server
        .get_json(&scim.client, Some(&scim.admin), &format!("/api/users/{id}"))
        .await;
    assert_eq!(record["preferred_language"], "nl");
    assert_eq!(record["email"], "adele@contoso.example");
    // 5. The user signs in with her user principal name, once an admin has
    //    given her a password.
    let reset: Value = scim
        .server
        .reset(
            &scim.client,
            &scim.admin,
            &id,
            &json!({"require_change": false}),
        )
        .await
        .json()
        .await
        .unwrap();
    let signed_in = scim
        .server
        .sign_in(&scim.client, upn, reset["password"].as_str().unwrap())
        .await;
    assert_eq!(signed_in.status(), 200);
    // 6. Deactivation, as Entra sends it.
    let (status, off) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(
                json!([{"op": "Replace", "path": "active", "value": false}]),
            )),
        )
        .await;
    assert_eq!((status, off["active"].as_bool()), (200, Some(false)));
    // 7. Delete.
    let (status, _) = scim
        .call(Method::DELETE, &format!("/Users/{id}"), None)
        .await;
    assert_eq!(status, 204);
}

#[tokio::test]
async fn oktas_provisioning_sequence_goes_through() {
    let scim = Scim::start().await;
    let login = "isaiah.langer@okta.example";
    let lookup = format!(
        "/Users?{}&startIndex=1&count=100",
        filter(&format!("userName eq \"{login}\""))
    );
    let (status, found) = scim.call(Method::GET, &lookup, None).await;
    assert_eq!((status, found["totalResults"].as_u64()), (200, Some(0)));
    let okta_user = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": login,
        "name": {"givenName": "Isaiah", "familyName": "Langer"},
        "emails": [{"primary": true, "value": login, "type": "work"}],
        "displayName": "Isaiah Langer",
        "locale": "en-US",
        "externalId": "00u1dhhb1fkIGP7RL1d8",
        "groups": [],
        "active": true
    });
    let (status, created) = scim
        .call(Method::POST, "/Users", Some(okta_user.clone()))
        .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (status, again) = scim.call(Method::GET, &lookup, None).await;
    assert_eq!(
        (status, again["Resources"][0]["id"].as_str()),
        (200, Some(id.as_str()))
    );
    // Okta updates a profile with a PUT of the whole user.
    let mut updated = okta_user.clone();
    updated["id"] = json!(id);
    updated["name"]["familyName"] = json!("Langer-Vance");
    let (status, put) = scim
        .call(Method::PUT, &format!("/Users/{id}"), Some(updated))
        .await;
    assert_eq!(
        (status, put["name"]["familyName"].as_str()),
        (200, Some("Langer-Vance")),
        "{put}"
    );
    // And deactivates with a PATCH that has no path.
    let (status, off) = scim
        .call(
            Method::PATCH,
            &format!("/Users/{id}"),
            Some(patch(
                json!([{"op": "replace", "value": {"active": false}}]),
            )),
        )
        .await;
    assert_eq!((status, off["active"].as_bool()), (200, Some(false)));
}

#[tokio::test]
async fn groups_are_answered_as_a_service_provider_without_groups_should() {
    let scim = Scim::start().await;
    let (status, body) = scim
        .call(
            Method::GET,
            "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22x%22",
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        body["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    let (status, types) = scim.call(Method::GET, "/ResourceTypes", None).await;
    assert_eq!(status, 200);
    assert!(!types.to_string().contains("\"Group\""), "{types}");
    // What Rekey keeps and returns is what /Schemas lists.
    let (_, schemas) = scim.call(Method::GET, "/Schemas", None).await;
    for attribute in ["userName", "name", "displayName", "emails", "active"] {
        assert!(
            schemas.to_string().contains(&format!("\"{attribute}\"")),
            "{attribute}"
        );
    }
}

#[tokio::test]
async fn hostile_values_are_refused_and_change_nothing() {
    let scim = Scim::start().await;
    let (_, created) = scim
        .call(Method::POST, "/Users", Some(super::user("nora.hostile")))
        .await;
    let id = created["id"].as_str().unwrap().to_string();
    let before = scim
        .call(Method::GET, &format!("/Users/{id}"), None)
        .await
        .1;
    let long = "x".repeat(5_000);
    let hostile = [
        json!({"op": "replace", "path": "emails[type eq \"other\"].value", "value": "not-an-email"}),
        json!({"op": "replace", "path": "emails[type eq \"other\"].value", "value": long}),
        json!({"op": "replace", "path": "emails[type eq \"other\"].value",
               "value": "nora@home.example\r\nBcc: everyone@contoso.example"}),
        json!({"op": "replace", "path": "externalId", "value": long}),
        json!({"op": "replace", "path": "externalId", "value": "id\u{0}with\u{7}controls"}),
        json!({"op": "replace", "path": "userName", "value": "nora@"}),
        json!({"op": "replace", "path": "password", "value": "Tr0ub4dor&3 horse"}),
        json!({"op": "add", "path": "roles", "value": [{"value": "global_admin"}]}),
    ];
    for op in hostile {
        let (status, body) = scim
            .call(
                Method::PATCH,
                &format!("/Users/{id}"),
                Some(patch(json!([op.clone()]))),
            )
            .await;
        assert_eq!(status, 400, "{op}: {body}");
        assert_eq!(
            body["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
    }
    let after = scim
        .call(Method::GET, &format!("/Users/{id}"), None)
        .await
        .1;
    assert_eq!(before, after);
}

/// Every audit event, newest first.
async fn all_audit_events(scim: &Scim) -> Vec<Value> {
    let mut events = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/audit?limit=200&cursor={c}"),
            None => "/api/audit?limit=200".into(),
        };
        let page = scim
            .server
            .get_json(&scim.client, Some(&scim.admin), &path)
            .await;
        events.extend(page["events"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return events,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scim_never_writes_a_user_who_became_an_admin_while_four_clients_patch() {
    let scim = Scim::start().await;
    for round in 0..3 {
        let name = format!("race.{round}");
        let (_, created) = scim
            .call(Method::POST, "/Users", Some(super::user(&name)))
            .await;
        let id = created["id"].as_str().unwrap().to_string();
        let clients = (0..4).map(|c| {
            let (scim, id) = (&scim, id.clone());
            async move {
                for i in 0..15 {
                    let op = match i % 3 {
                        0 => json!({"op": "replace", "path": "displayName", "value": format!("Race {c}-{i}")}),
                        1 => json!({"op": "replace", "path": "active", "value": false}),
                        _ => json!({"op": "replace", "path": "active", "value": true}),
                    };
                    scim.call(Method::PATCH, &format!("/Users/{id}"), Some(patch(json!([op])))).await;
                }
            }
        });
        let promote = async {
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
            for _ in 0..50 {
                let current = scim
                    .server
                    .get_json(&scim.client, Some(&scim.admin), &format!("/api/users/{id}"))
                    .await;
                let resp = scim
                    .client
                    .patch(format!("{}/api/users/{id}", scim.server.url))
                    .header("origin", &scim.server.url)
                    .header("cookie", &scim.admin)
                    .json(&json!({"version": current["version"], "role": "global_admin"}))
                    .send()
                    .await
                    .unwrap();
                if resp.status() == 200 {
                    return;
                }
            }
            panic!("the promotion never won its write");
        };
        futures::future::join(futures::future::join_all(clients), promote).await;
        let scim_writes_on_admins = all_audit_events(&scim)
            .await
            .into_iter()
            .filter(|e| !e["app"].is_null() && e["target"]["id"] == id.as_str())
            .filter(|e| e["target"]["role"] != "user")
            .count();
        assert_eq!(scim_writes_on_admins, 0, "round {round}");
    }
}

#[tokio::test]
async fn list_parameters_are_read_as_rfc_7644_says_and_unsupported_filters_are_refused() {
    let scim = Scim::start().await;
    for i in 0..3 {
        scim.call(
            Method::POST,
            "/Users",
            Some(super::user(&format!("list.{i}"))),
        )
        .await;
    }
    // Below 1 is read as 1; a negative count as 0 (only the total).
    let (status, first) = scim
        .call(Method::GET, "/Users?startIndex=-5&count=2", None)
        .await;
    assert_eq!(
        (status, first["startIndex"].as_u64()),
        (200, Some(1)),
        "{first}"
    );
    assert_eq!(first["Resources"].as_array().unwrap().len(), 2);
    let total = first["totalResults"].as_u64().unwrap();
    assert!(total >= 63, "{first}");
    let (status, none) = scim.call(Method::GET, "/Users?count=-1", None).await;
    assert_eq!((status, none["totalResults"].as_u64()), (200, Some(total)));
    assert_eq!(none["Resources"].as_array().map_or(0, Vec::len), 0);
    // Pages through the whole directory: every plain user once.
    let mut ids = std::collections::HashSet::new();
    let mut start = 1;
    while start <= total {
        let (_, page) = scim
            .call(
                Method::GET,
                &format!("/Users?startIndex={start}&count=25"),
                None,
            )
            .await;
        for r in page["Resources"].as_array().unwrap() {
            assert!(
                ids.insert(r["id"].as_str().unwrap().to_string()),
                "twice: {r}"
            );
        }
        start += 25;
    }
    assert_eq!(ids.len() as u64, total);
    // `or` and `and` are not supported: said so, not an empty list.
    for expression in [
        "userName eq \"list.0\" or userName eq \"list.1\"",
        "userName eq \"a\" and active eq true",
    ] {
        let (status, body) = scim
            .call(Method::GET, &format!("/Users?{}", filter(expression)), None)
            .await;
        assert_eq!(
            (status, body["scimType"].as_str()),
            (400, Some("invalidFilter")),
            "{expression}"
        );
    }
    // The bearer scheme in any case (RFC 7235).
    let lower = scim
        .client
        .get(scim.url("/Users?count=1"))
        .header("authorization", format!("bearer {}", scim.token))
        .send()
        .await
        .unwrap();
    assert_eq!(lower.status(), 200);
}

#[tokio::test]
async fn scim_lifts_only_its_own_deactivation_never_an_admins_block() {
    let scim = Scim::start().await;
    let (status, made) = scim
        .call(
            Method::POST,
            "/Users",
            Some(entra_user("nestor@entra.example")),
        )
        .await;
    assert_eq!(status, 201);
    let id = made["id"].as_str().unwrap().to_string();
    let set_active = |active: bool| {
        let (scim, id) = (&scim, &id);
        async move {
            let body = patch(json!([{"op": "Replace", "path": "active", "value": active}]));
            let (status, user) = scim
                .call(Method::PATCH, &format!("/Users/{id}"), Some(body))
                .await;
            assert_eq!(status, 200, "{user}");
            user["active"].as_bool().unwrap()
        }
    };
    // SCIM's own deactivation it may undo.
    assert!(!set_active(false).await);
    assert!(set_active(true).await);

    // An admin blocks her: a provisioning cycle's active:true (PATCH or a
    // whole PUT) leaves the block in place.
    let admin_call = |action: &'static str| {
        let (scim, id) = (&scim, &id);
        async move {
            let path = format!("/api/users/{id}");
            let user = scim
                .server
                .get_json(&scim.client, Some(&scim.admin), &path)
                .await;
            scim.client
                .post(format!("{}{path}/{action}", scim.server.url))
                .header("origin", &scim.server.url)
                .header("cookie", &scim.admin)
                .json(&json!({"version": user["version"]}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(admin_call("block").await, 200);
    assert!(!set_active(true).await);
    let (status, put) = scim
        .call(
            Method::PUT,
            &format!("/Users/{id}"),
            Some(entra_user("nestor@entra.example")),
        )
        .await;
    assert_eq!((status, put["active"].as_bool()), (200, Some(false)));

    // Once the admin lifts it, SCIM is in charge again.
    assert_eq!(admin_call("unblock").await, 200);
    assert!(!set_active(false).await);
    assert!(set_active(true).await);
}
