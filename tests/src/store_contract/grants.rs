//! Authorization codes and their access tokens.

use rekey_function::ports::Redemption;

use super::{code, token, DynStore};

pub async fn a_code_is_spent_once_even_by_twenty_at_once(store: DynStore) {
    store.insert_code(&code("c1")).await.unwrap();
    assert_eq!(store.code("c1").await.unwrap(), Some(code("c1")));
    let tries = (0..20).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            let t = token(&format!("t{i}"), "c1");
            (i, store.spend_code(&code("c1"), &t, 100 + i).await.unwrap())
        })
    });
    let outcomes = futures::future::join_all(tries).await;
    let mut winners = vec![];
    for outcome in outcomes {
        let (i, spent) = outcome.unwrap();
        match spent {
            Redemption::First(c) => {
                winners.push(i);
                assert_eq!(c.code_hash, "c1");
                assert_eq!(c.scope, "openid email");
                assert_eq!(c.used_at, Some(100 + i));
            }
            Redemption::Again(c) => assert!(c.used_at.is_some()),
            Redemption::Unknown => panic!("the code is there"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one spend wins");
    // Only the winner's token was stored, with the mark, in one write.
    for i in 0..20 {
        let stored = store.access_token(&format!("t{i}")).await.unwrap();
        assert_eq!(stored.is_some(), winners == [i], "token t{i}");
    }
    let spent = store.code("c1").await.unwrap().unwrap();
    assert_eq!(spent.used_at, Some(100 + winners[0]));
    assert_eq!(store.code("nope").await.unwrap(), None);
    assert_eq!(
        store
            .spend_code(&code("nope"), &token("tx", "nope"), 1)
            .await
            .unwrap(),
        Redemption::Unknown
    );
    assert_eq!(store.access_token("tx").await.unwrap(), None);
}

pub async fn a_replayed_codes_token_is_revoked_and_no_others(store: DynStore) {
    for (c, t) in [("a", "t1"), ("b", "t3")] {
        store.insert_code(&code(c)).await.unwrap();
        let spent = store.spend_code(&code(c), &token(t, c), 5).await.unwrap();
        assert!(matches!(spent, Redemption::First(_)));
    }
    assert_eq!(
        store.access_token("t1").await.unwrap(),
        Some(token("t1", "a"))
    );
    // Revocation reads what the spend recorded at once, not a lagging index.
    assert_eq!(store.revoke_code_tokens("a").await.unwrap(), 1);
    assert_eq!(store.access_token("t1").await.unwrap(), None);
    assert_eq!(
        store.access_token("t3").await.unwrap(),
        Some(token("t3", "b"))
    );
    assert_eq!(store.revoke_code_tokens("a").await.unwrap(), 0);
}
