//! `duijie schedule`: JSON in, JSON out, bad input named; `duijie bench schedule` runs.

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
        "/../../docs/examples/schedule.json"
    );
    std::fs::read_to_string(path).expect("example instance")
}

#[test]
fn the_example_event_is_scheduled_optimally_with_the_locked_meeting_in_place() {
    let out = duijie(&["schedule", "--input", "-"], &example());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    // Every request fits: 5 + 4 + 3 + 2 + 1.
    assert_eq!(json["value"], 15);
    assert_eq!(json["upper_bound"], 15.0);
    assert_eq!(json["gap"], 0.0);
    assert_eq!(json["optimal"], true);
    let meetings = json["meetings"].as_array().expect("meetings");
    assert_eq!(meetings.len(), 5);
    assert!(meetings
        .iter()
        .any(|m| m["request"] == "r3" && m["slot"] == "s2" && m["table"] == 1));
    // xiongan-city blocked s1; tianjin-drones blocked s3.
    for m in meetings {
        if m["request"] == "r3" || m["request"] == "r4" {
            assert_ne!(m["slot"], "s1", "{m}");
        }
        if m["request"] == "r2" {
            assert_ne!(m["slot"], "s3", "{m}");
        }
    }
}

#[test]
fn a_file_argument_works_and_bad_input_names_the_item() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("event.json");
    std::fs::write(
        &file,
        example().replace("\"to\": \"beihang-vision\"", "\"to\": \"nobody\""),
    )
    .expect("write");
    let out = duijie(&["schedule", "--input", file.to_str().expect("path")], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("requests[2] (r3).to: no participant has the id \"nobody\""),
        "{err}"
    );

    let out = duijie(&["schedule", "--input", "-"], "{\"slots\": 3}");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid schedule instance"));
}
