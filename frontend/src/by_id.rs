//! `ById`: a small map from user ids, in insertion order.

/// Entries keyed by user id, kept in a Vec in the order they were added.
/// The app's maps hold a page or a selection at most, and this is far less
/// wasm than std's `HashMap` or `BTreeMap` (the apps have size budgets).
#[derive(Clone, Debug, PartialEq)]
pub struct ById<V>(Vec<(String, V)>);

impl<V> Default for ById<V> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<V> ById<V> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, id: &str) -> Option<&V> {
        self.0.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }

    /// Adds or replaces `id`'s entry; a replaced entry keeps its place.
    pub fn insert(&mut self, id: String, value: V) {
        match self.0.iter_mut().find(|(k, _)| *k == id) {
            Some(entry) => entry.1 = value,
            None => self.0.push((id, value)),
        }
    }

    pub fn remove(&mut self, id: &str) -> Option<V> {
        let at = self.0.iter().position(|(k, _)| k == id)?;
        Some(self.0.remove(at).1)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_values(self) -> impl Iterator<Item = V> {
        self.0.into_iter().map(|(_, v)| v)
    }
}

impl<V> IntoIterator for ById<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::ById;

    #[test]
    fn entries_keep_the_order_they_were_added_in_and_replacing_keeps_the_place() {
        let mut m = ById::new();
        m.insert("b".to_string(), 1);
        m.insert("a".to_string(), 2);
        m.insert("b".to_string(), 3);
        assert_eq!(m.len(), 2);
        assert_eq!(m.get("b"), Some(&3));
        assert!(m.contains("a") && !m.contains("c"));
        assert_eq!(
            m.clone().into_iter().collect::<Vec<_>>(),
            [("b".to_string(), 3), ("a".to_string(), 2)]
        );
        assert_eq!(m.remove("b"), Some(3));
        assert_eq!(m.remove("b"), None);
        assert_eq!(m.into_values().collect::<Vec<_>>(), [2]);
    }
}
