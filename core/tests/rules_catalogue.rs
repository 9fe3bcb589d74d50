//! The rule catalogue, `spec/rules.md`, against the code and the vectors: every rule ID cited
//! in `core/src` or in a vector is in the catalogue; every rule the catalogue lists as
//! implemented is cited in `core/src` (in the modules its entry names) and in the spec file its
//! entry names; every rule listed as `planned` is cited in neither `core/src` nor a vector. And
//! the repository links to the catalogue and never outside itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The path of `path` relative to the repository, with `/`, for messages.
fn shown(path: &Path) -> String {
    let root = repo();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every file below `dir`, sorted, skipping directories that are built or installed, never
/// written by hand.
fn files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    const SKIPPED: [&str; 11] = [
        ".git",
        "target",
        "node_modules",
        ".venv",
        "__pycache__",
        ".pytest_cache",
        ".ipynb_checkpoints",
        "artifacts",
        "corpus",
        "coverage",
        "logs",
    ];
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIPPED.contains(&name.as_str()) && name != "pkg" && !name.starts_with("pkg-") {
                files_below(&path, out);
            }
        } else {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rule IDs in text

/// Text that reads like a rule ID but is not one.
const NOT_RULE_IDS: [&str; 2] = ["FNV-1a", "UTF-8"];

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Every numbered rule ID cited in `text`: two to four capital letters, `-`, a number
/// (`BUY-4`). A sub-clause letter cites its rule (`DIS-1c` cites `DIS-1`); a range cites each
/// rule in it (`DIS-1..5`, `DIS-1..DIS-5`). Unnumbered IDs (`POL`, `ACC`) are words like any
/// other and are looked for by [`cites`] only. Errors on a range that runs backwards.
fn cited_ids(text: &str) -> Result<BTreeSet<String>, String> {
    let b = text.as_bytes();
    let number = |from: usize| {
        let to = (from..b.len()).find(|&k| !b[k].is_ascii_digit()).unwrap_or(b.len());
        (to, text[from..to].parse::<u32>().ok())
    };
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_uppercase() || (i > 0 && is_word(b[i - 1])) {
            i += 1;
            continue;
        }
        let start = i;
        let dash = (i..b.len()).find(|&k| !b[k].is_ascii_uppercase()).unwrap_or(b.len());
        i = dash;
        if !(2..=4).contains(&(dash - start))
            || b.get(dash) != Some(&b'-')
            || !b.get(dash + 1).is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        let (digits_end, lo) = number(dash + 1);
        let mut end = digits_end;
        if b.get(end).is_some_and(u8::is_ascii_lowercase) && !b.get(end + 1).is_some_and(|&c| is_word(c)) {
            end += 1; // a sub-clause: DIS-1c
        }
        i = end;
        if b.get(end).is_some_and(|&c| is_word(c)) || NOT_RULE_IDS.contains(&&text[start..end]) {
            continue;
        }
        let (area, Some(lo)) = (&text[start..dash], lo) else {
            continue;
        };
        let mut hi = lo;
        if text[end..].starts_with("..") {
            let mut from = end + 2;
            if text[from..].starts_with(&format!("{area}-")) {
                from += area.len() + 1;
            }
            if let (to, Some(n)) = number(from) {
                if n < lo {
                    return Err(format!("the range {} runs backwards", &text[start..to]));
                }
                hi = n;
                i = to;
            }
        }
        out.extend((lo..=hi).map(|n| format!("{area}-{n}")));
    }
    Ok(out)
}

/// Whether `text` cites `id`: a numbered ID as [`cited_ids`] finds it, an unnumbered one as a
/// whole word.
fn cites(text: &str, id: &str) -> bool {
    if id.contains('-') {
        return cited_ids(text).unwrap_or_default().contains(id);
    }
    let b = text.as_bytes();
    text.match_indices(id).any(|(at, _)| {
        let word_before = at > 0 && is_word(b[at - 1]);
        let word_after = b.get(at + id.len()).is_some_and(|&c| is_word(c));
        !word_before && !word_after
    })
}

#[test]
fn rule_ids_are_read_from_text_as_the_catalogue_says() {
    let ids = |t: &str| cited_ids(t).unwrap().into_iter().collect::<Vec<_>>();
    assert_eq!(ids("(BUY-4) and DIS-1c, `OVD-7`."), ["BUY-4", "DIS-1", "OVD-7"]);
    assert_eq!(
        ids("DIS-1..3; PRM-3..PRM-5"),
        ["DIS-1", "DIS-2", "DIS-3", "PRM-3", "PRM-4", "PRM-5"]
    );
    assert_eq!(ids("BAT-6, then a 12-day window"), ["BAT-6"]);
    assert!(ids("FNV-1a hash, UTF-8 text, xBUY-1, BUY-12ab, E-1, ABCDE-1, BUY-x").is_empty());
    assert!(cited_ids("OVD-6..4").is_err());
    assert!(cites("replays (ACC).", "ACC") && !cites("ACCOUNT", "ACC") && !cites("POLICY", "POL"));
    assert!(cites("LIM-1..5", "LIM-4") && !cites("LIM-1..5", "LIM-6"));
}

// ---------------------------------------------------------------------------------------------
// The catalogue

const COUNTRIES: [&str; 5] = ["CH", "BE", "DK", "FR", "project"];

#[derive(Debug)]
enum Status {
    /// Implemented in these files (paths relative to the repository).
    Implemented(Vec<String>),
    /// Listed, not implemented yet.
    Planned,
}

#[derive(Debug)]
struct Entry {
    id: String,
    line: usize,
    /// Spec files, relative to the repository.
    spec: Vec<String>,
    status: Status,
}

fn well_formed_id(id: &str) -> bool {
    let (area, number) = id.split_once('-').unwrap_or((id, ""));
    let area_ok = (2..=4).contains(&area.len()) && area.bytes().all(|b| b.is_ascii_uppercase());
    let number_ok = number.is_empty() && !id.contains('-')
        || !number.is_empty() && !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit());
    area_ok && number_ok
}

/// The entries of `spec/rules.md`, or every problem of its format.
fn parse_catalogue(text: &str) -> Result<Vec<Entry>, Vec<String>> {
    let root = repo();
    let lines: Vec<&str> = text.lines().collect();
    let mut problems = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut area: Option<String> = None;
    for (i, line) in lines.iter().enumerate() {
        let at = format!("spec/rules.md:{}", i + 1);
        if let Some(title) = line.strip_prefix("## ") {
            let code = title.split(" — ").next().unwrap_or("");
            area = (title.contains(" — ") && well_formed_id(code) && !code.contains('-')).then(|| code.to_owned());
            continue;
        }
        let Some(id) = line.strip_prefix("### ") else {
            continue;
        };
        let id = id.trim();
        if !well_formed_id(id) {
            problems.push(format!("{at}: `{id}` is not a rule ID (AREA or AREA-N)"));
            continue;
        }
        if area.as_deref() != Some(id.split('-').next().unwrap()) {
            problems.push(format!(
                "{at}: {id} is not under its area's section `## {} — ...`",
                id.split('-').next().unwrap()
            ));
        }
        if entries.iter().any(|e| e.id == id) {
            problems.push(format!("{at}: {id} is listed twice"));
        }
        // The line after the heading: Country: ... · Spec: ... · Core: ...
        let meta = lines.get(i + 1).copied().unwrap_or("");
        let parts: Vec<&str> = meta.split(" · ").collect();
        let field = |k: usize, name: &str| parts.get(k).and_then(|p| p.strip_prefix(name)).map(str::trim);
        let (Some(countries), Some(spec), Some(core), 3) =
            (field(0, "Country:"), field(1, "Spec:"), field(2, "Core:"), parts.len())
        else {
            problems.push(format!(
                "{at}: {id}: the next line must be `Country: .. · Spec: .. · Core: ..`"
            ));
            continue;
        };
        let countries: Vec<&str> = countries.split(", ").collect();
        if countries.iter().any(|c| !COUNTRIES.contains(c))
            || countries.iter().collect::<BTreeSet<_>>().len() != countries.len()
        {
            problems.push(format!(
                "{at}: {id}: countries {countries:?}: each one of {COUNTRIES:?}, once"
            ));
        }
        let mut spec_files = Vec::new();
        for link in spec.split(", ") {
            let target = link
                .strip_prefix('[')
                .and_then(|l| l.split_once("]("))
                .and_then(|(_, t)| t.strip_suffix(')'));
            match target {
                Some(t) if !t.contains('/') && t.ends_with(".md") && root.join("spec").join(t).is_file() => {
                    spec_files.push(format!("spec/{t}"));
                }
                _ => problems.push(format!(
                    "{at}: {id}: `{link}` is not a link to a file of spec/, e.g. [limits.md](limits.md)"
                )),
            }
        }
        let status = if core == "planned" || core.starts_with("planned (") {
            Status::Planned
        } else {
            let mut files = Vec::new();
            for item in core.split(", ") {
                match item.strip_prefix('`').and_then(|i| i.strip_suffix('`')) {
                    Some(p) if p.starts_with("core/src/") && root.join(p).is_file() => files.push(p.to_owned()),
                    _ => problems.push(format!(
                        "{at}: {id}: `{item}` is not a file of core/src in backticks, nor `planned`"
                    )),
                }
            }
            Status::Implemented(files)
        };
        // One paragraph before the next heading.
        let paragraph = lines
            .get(i + 2..)
            .unwrap_or_default()
            .iter()
            .take_while(|l| !l.starts_with('#'))
            .any(|l| !l.trim().is_empty());
        if !paragraph {
            problems.push(format!("{at}: {id} has no paragraph"));
        }
        entries.push(Entry {
            id: id.to_owned(),
            line: i + 1,
            spec: spec_files,
            status,
        });
    }
    if entries.is_empty() {
        problems.push("spec/rules.md: no entry (`### ID`)".to_owned());
    }
    if problems.is_empty() {
        Ok(entries)
    } else {
        Err(problems)
    }
}

fn catalogue() -> Vec<Entry> {
    parse_catalogue(&read(&repo().join("spec/rules.md"))).unwrap_or_else(|p| panic!("{}", p.join("\n")))
}

// ---------------------------------------------------------------------------------------------
// Citations in core/src and in the vectors

/// Where each rule ID is cited: file (and vector id) per ID.
type Citations = BTreeMap<String, BTreeSet<String>>;

/// The text of every file of `core/src`, by path.
fn core_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    files_below(&repo().join("core/src"), &mut files);
    files.iter().map(|f| (shown(f), read(f))).collect()
}

/// Numbered rule IDs cited in `core/src` (every file: code, comments, message catalogues,
/// sample data) and the rules of every reason code.
fn cited_in_core(sources: &[(String, String)]) -> Citations {
    let mut out = Citations::new();
    for (path, text) in sources {
        for id in cited_ids(text).unwrap_or_else(|e| panic!("{path}: {e}")) {
            out.entry(id).or_default().insert(path.clone());
        }
    }
    for code in delcredere::ReasonCode::ALL {
        out.entry(code.rule().to_owned())
            .or_default()
            .insert(format!("reason code {}", code.as_str()));
    }
    out
}

fn vector_rules(value: &Value, where_: &str, out: &mut Citations) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("rule", Value::String(id)) => {
                        out.entry(id.clone()).or_default().insert(where_.to_owned());
                    }
                    ("rules", Value::Array(ids)) => {
                        for id in ids {
                            let id = id.as_str().unwrap_or_else(|| panic!("{where_}: `rules` holds {id}"));
                            out.entry(id.to_owned()).or_default().insert(where_.to_owned());
                        }
                    }
                    _ => vector_rules(v, where_, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| vector_rules(v, where_, out)),
        _ => {}
    }
}

/// Rule IDs of the vectors: each case's `rules` and every `rule` (reasons, checklist items,
/// decisions given to `explain`).
fn cited_in_vectors() -> Citations {
    let mut files = Vec::new();
    files_below(&repo().join("spec/vectors"), &mut files);
    let mut out = Citations::new();
    for file in files.iter().filter(|f| f.extension().is_some_and(|x| x == "json")) {
        let cases: Value = serde_json::from_str(&read(file)).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in cases
            .as_array()
            .unwrap_or_else(|| panic!("{}: not an array", file.display()))
        {
            let where_ = format!("{} {}", shown(file), case["id"].as_str().unwrap_or("?"));
            vector_rules(case, &where_, &mut out);
        }
    }
    out
}

fn list(places: Option<&BTreeSet<String>>) -> String {
    let places: Vec<_> = places.into_iter().flatten().take(3).cloned().collect();
    places.join(", ")
}

/// The problems of the catalogue against the citations.
fn mismatches(entries: &[Entry], sources: &[(String, String)], core: &Citations, vectors: &Citations) -> Vec<String> {
    let root = repo();
    let listed: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    let mut problems = Vec::new();
    let mut cited = core.clone();
    for (id, places) in vectors {
        cited.entry(id.clone()).or_default().extend(places.iter().cloned());
    }
    for (id, places) in &cited {
        if !listed.contains(id.as_str()) {
            problems.push(format!(
                "{id} is cited ({}) but not in spec/rules.md",
                list(Some(places))
            ));
        }
    }
    let text_of = |path: &str| {
        sources
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| read(&root.join(path)))
    };
    for e in entries {
        let at = format!("spec/rules.md:{} {}", e.line, e.id);
        let in_core = core.contains_key(&e.id) || !e.id.contains('-') && sources.iter().any(|(_, t)| cites(t, &e.id));
        let in_vectors = vectors.contains_key(&e.id);
        match &e.status {
            Status::Implemented(files) => {
                if !in_core && !in_vectors {
                    problems.push(format!(
                        "{at} is cited nowhere in core/src or the vectors: implement it, or mark it `Core: planned`"
                    ));
                }
                for file in files.iter().chain(&e.spec) {
                    if !cites(&text_of(file), &e.id) {
                        problems.push(format!("{at}: {file} does not cite it"));
                    }
                }
            }
            Status::Planned => {
                if in_core || in_vectors {
                    let places: BTreeSet<String> = sources
                        .iter()
                        .filter(|(_, t)| cites(t, &e.id))
                        .map(|(p, _)| p.clone())
                        .chain(core.get(&e.id).into_iter().flatten().cloned())
                        .chain(vectors.get(&e.id).into_iter().flatten().cloned())
                        .collect();
                    problems.push(format!(
                        "{at} is marked planned but cited ({}): name the modules that implement it in its `Core:`",
                        list(Some(&places))
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn the_catalogue_and_the_citations_in_core_and_vectors_agree() {
    let entries = catalogue();
    let sources = core_sources();
    let problems = mismatches(&entries, &sources, &cited_in_core(&sources), &cited_in_vectors());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks above can fail: a rule cited but not listed, a listed rule cited nowhere, a
/// planned rule that is cited, a module that does not cite its rule, a malformed entry.
#[test]
fn the_catalogue_check_fails_on_each_kind_of_mismatch() {
    let text = read(&repo().join("spec/rules.md"));
    let sources = core_sources();
    let core = cited_in_core(&sources);
    let vectors = cited_in_vectors();
    let problems = |text: &str| mismatches(&parse_catalogue(text).unwrap(), &sources, &core, &vectors);
    assert!(problems(&text).is_empty());

    // BUY-4's entry removed: BUY-4 is cited and not listed.
    let start = text.find("### BUY-4\n").unwrap();
    let end = start + text[start..].find("### BUY-5\n").unwrap();
    let without = format!("{}{}", &text[..start], &text[end..]);
    assert!(
        problems(&without).iter().any(|p| p.starts_with("BUY-4 is cited")),
        "{:?}",
        problems(&without)
    );

    // A listed rule that nothing cites.
    let fake = text.replace(
        "## BUY — buyers and insurability\n",
        "## BUY — buyers and insurability\n\n### BUY-99\nCountry: CH · Spec: [insurability.md](insurability.md) · Core: `core/src/buyer.rs`\n\nFake.\n",
    );
    let found = problems(&fake);
    assert!(found.iter().any(|p| p.contains("BUY-99 is cited nowhere")), "{found:?}");
    assert!(
        found
            .iter()
            .any(|p| p.contains("BUY-99: core/src/buyer.rs does not cite it")),
        "{found:?}"
    );

    // An implemented rule marked planned.
    let planned = text.replace(
        "### BUY-4\nCountry: CH · Spec: [insurability.md](insurability.md) · Core: `core/src/buyer.rs`, `core/src/form.rs`",
        "### BUY-4\nCountry: CH · Spec: [insurability.md](insurability.md) · Core: planned",
    );
    assert_ne!(planned, text);
    assert!(problems(&planned)
        .iter()
        .any(|p| p.contains("BUY-4 is marked planned but cited")));

    // The wrong module.
    let moved = text.replace(
        "### EXP-2\nCountry: DK · Spec: [exposure.md](exposure.md) · Core: `core/src/exposure.rs`",
        "### EXP-2\nCountry: DK · Spec: [exposure.md](exposure.md) · Core: `core/src/claim.rs`",
    );
    assert_ne!(moved, text);
    assert!(problems(&moved)
        .iter()
        .any(|p| p.contains("EXP-2: core/src/claim.rs does not cite it")));

    // Malformed entries.
    for (from, to) in [
        ("Country: DK · Spec: [exposure.md]", "Country: SE · Spec: [exposure.md]"),
        ("Spec: [exposure.md](exposure.md)", "Spec: [exposure.md](nowhere.md)"),
        ("Core: `core/src/exposure.rs`", "Core: core/src/exposure.rs"),
        ("### EXP-2\n", "### EXP-02\n"),
        ("### EXP-2\n", "### EXP-1\n"),
        ("### EXP-2\n", "### OVD-10\n"),
    ] {
        let bad = text.replacen(from, to, 1);
        assert_ne!(bad, text, "{from}");
        assert!(parse_catalogue(&bad).is_err(), "{from} -> {to}");
    }
}

// ---------------------------------------------------------------------------------------------
// Links

/// The targets of the relative links `[text](target)` of a markdown text, anchors cut off.
fn relative_links(text: &str) -> Vec<String> {
    text.match_indices("](")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let target = &rest[..rest.find(')')?];
            let external = target.contains("://") || target.starts_with("mailto:") || target.starts_with('#');
            (!external && !target.is_empty() && !target.contains(char::is_whitespace))
                .then(|| target.split('#').next().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn the_readme_and_every_spec_file_link_to_the_catalogue() {
    let root = repo();
    let catalogue = root.join("spec/rules.md").canonicalize().unwrap();
    let mut files = vec![root.join("README.md")];
    let mut spec = std::fs::read_dir(root.join("spec"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && *p != catalogue)
        .collect::<Vec<_>>();
    spec.sort();
    files.extend(spec);
    let unlinked: Vec<String> = files
        .iter()
        .filter(|f| {
            !relative_links(&read(f))
                .iter()
                .any(|t| f.parent().unwrap().join(t).canonicalize().is_ok_and(|p| p == catalogue))
        })
        .map(|f| shown(f))
        .collect();
    assert!(unlinked.is_empty(), "no link to spec/rules.md in {unlinked:?}");
}

#[test]
fn nothing_in_the_repository_links_outside_it() {
    // Kept apart here so that this file does not match itself.
    let outside = [
        concat!("../", "shared"),
        concat!("/work/", "shared"),
        concat!("DOMAIN", ".md"),
    ];
    const TEXT: [&str; 18] = [
        "md", "rs", "py", "pyi", "mjs", "js", "ts", "json", "toml", "sh", "ipynb", "txt", "html", "css", "yml", "yaml",
        "cfg", "ini",
    ];
    let root = repo();
    let mut files = Vec::new();
    files_below(&root, &mut files);
    let mut problems = Vec::new();
    for file in &files {
        let ext = file
            .extension()
            .map(|x| x.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !TEXT.contains(&ext.as_str()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        for needle in outside {
            if text.contains(needle) {
                problems.push(format!("{} mentions {needle}", shown(file)));
            }
        }
        if ext == "md" {
            for target in relative_links(&text) {
                match file.parent().unwrap().join(&target).canonicalize() {
                    Ok(p) if p.starts_with(&root) => {}
                    Ok(_) => problems.push(format!("{} links outside the repository: {target}", shown(file))),
                    Err(_) => problems.push(format!("{} links to a missing file: {target}", shown(file))),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
