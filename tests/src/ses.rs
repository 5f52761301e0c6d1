//! aws-ses-v2-local (npm, in `.tools/`), the SES emulator, for the tests.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::server::{free_port, workspace, KillOnDrop};

/// aws-ses-v2-local on a free port, stopped on drop.
pub struct SesEmulator {
    _child: KillOnDrop,
    pub url: String,
}

impl SesEmulator {
    pub async fn start() -> SesEmulator {
        let bin = workspace().join(".tools/node_modules/.bin/aws-ses-v2-local");
        assert!(
            bin.exists(),
            "aws-ses-v2-local is missing: run ./scripts/setup.sh"
        );
        let port = free_port();
        let child = Command::new(bin)
            .args(["--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = reqwest::get(format!("{url}/health-check")).await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "aws-ses-v2-local did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        SesEmulator {
            _child: KillOnDrop(child),
            url,
        }
    }

    /// What it stored, as its `/store` lists it.
    pub async fn emails(&self) -> Vec<Value> {
        let store: Value = reqwest::get(format!("{}/store", self.url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        store["emails"].as_array().cloned().unwrap_or_default()
    }
}
