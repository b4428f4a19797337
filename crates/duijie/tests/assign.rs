//! `duijie assign`: JSON in, JSON out, both objectives; infeasible input is explained.

use std::io::Write;
use std::process::{Command, Stdio};

fn duijie(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_duijie"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start duijie");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for duijie")
}

fn example() -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/examples/assign.json"
    );
    std::fs::read_to_string(path).expect("example instance")
}

#[test]
fn the_example_is_assigned_optimally_without_the_conflicted_pair() {
    for objective in ["sum", "fair"] {
        let out = duijie(
            &["assign", "--input", "-", "--objective", objective],
            &example(),
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        // a1 {e1, e2}, a2 {e2, e3}, a3 {e4} (forced): 0.91 + 0.40 + 0.35 + 0.80 + 0.20.
        assert!(
            (json["objective"].as_f64().expect("objective") - 2.66).abs() < 1e-9,
            "{json}"
        );
        assert_eq!(
            json["sum_upper_bound"], 2.66,
            "scores on the 10⁻⁶ grid need no allowance"
        );
        let pairs = json["assignments"].as_array().expect("pairs");
        assert_eq!(pairs.len(), 5);
        assert!(
            !pairs.iter().any(|p| p[0] == "a2" && p[1] == "e1"),
            "a2 and e1 are conflicted"
        );
        assert!(
            pairs.iter().any(|p| p[0] == "a3" && p[1] == "e4"),
            "the forced pair"
        );
        assert_eq!(json["min_application_score"], 0.2);
    }
}

#[test]
fn an_instance_without_enough_reviewers_names_the_applications() {
    let tight = example().replace(
        "[\"a2\", \"e1\"]]",
        "[\"a2\", \"e1\"], [\"a2\", \"e3\"], [\"a2\", \"e4\"]]",
    );
    let out = duijie(&["assign", "--input", "-"], &tight);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("a2 needs 2 more reviewer(s) but only 1 expert(s)"),
        "{err}"
    );
}
