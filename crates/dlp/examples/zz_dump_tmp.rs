//! Temporary: dumps every finding (Debug) for the dev corpus and concatenations.
fn main() {
    let data = include_str!("../testdata/dev.jsonl");
    let texts: Vec<String> = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("json");
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let s = dlp::Scanner::new();
    for t in &texts {
        println!("{:?}", s.scan(t));
    }
    let mut cur = String::new();
    for t in texts.iter().cycle().take(1200) {
        cur.push_str(t);
        cur.push_str("\n\n");
        if cur.len() >= 100 * 1024 {
            println!("{:?}", s.scan(&cur));
            cur.clear();
        }
    }
    for (i, t) in texts.iter().enumerate().step_by(3) {
        let j = texts[(i * 7 + 3) % texts.len()].as_str();
        println!("{:?}", s.scan(&format!("{t}{j}")));
        println!(
            "{:?}",
            s.scan(&format!("{}\n{}", t.to_uppercase(), j.to_lowercase()))
        );
    }
}
