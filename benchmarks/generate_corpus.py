"""Generate a deterministic corpus of REDCap-style scripts for the benchmark.

    python benchmarks/generate_corpus.py OUT_DIR --files 2000 [--seed 7]

Files are assembled from fragments of the kinds real API scripts contain (payload dicts
built in steps, helpers wrapping requests, PyCap projects, loops with and without sleeps,
thread pools, prints, local data wrangling), so that the linter does the work it does on real
code. Same arguments, same bytes. Every language the linter supports so far is included.
"""
from __future__ import annotations

import argparse
import os
import random

PY_HEADER = [
    "import os\nimport time\nimport json\n\nimport requests\n",
    "import os\nimport time\n\nimport pandas as pd\nfrom redcap import Project\n",
    "import os\nimport json\nimport logging\nimport time\nfrom concurrent.futures import ThreadPoolExecutor\n\nimport requests as rq\n",
    "import os\nimport asyncio\nimport time\n\nimport httpx\nimport requests\n",
]

PY_FRAGMENTS = [
    '''
API_URL = "https://redcap{n}.example.edu/api/"
TOKEN = os.environ["REDCAP_API_TOKEN"]
FIELDS = ["record_id", "age", "sex", "visit_date"]
''',
    '''
def fetch_record_{n}(record_id):
    """Return the rows of one record."""
    payload = {{
        "token": TOKEN,
        "content": "record",
        "format": "json",
        "type": "flat",
        "records[0]": record_id,
    }}
    response = requests.post(API_URL, data=payload, timeout=30)
    response.raise_for_status()
    return response.json()
''',
    '''
def export_all_{n}():
    payload = {{"token": TOKEN, "format": "json"}}
    payload["content"] = "record"
    payload.update({{"rawOrLabel": "raw", "returnFormat": "json"}})
    return requests.post(API_URL, data=payload).json()
''',
    '''
def pull_many_{n}(ids):
    rows = {{}}
    for rid in ids:
        rows[rid] = fetch_record_{n}(rid)
        time.sleep({sleep})
    return rows
''',
    '''
def summarise_{n}(rows):
    counts = {{}}
    for row in rows:
        key = (row.get("sex"), row.get("age", "0")[:1])
        counts[key] = counts.get(key, 0) + 1
    total = sum(counts.values())
    return {{k: v / total for k, v in counts.items() if total}}
''',
    '''
project_{n} = Project("https://redcap.example.edu/api/", os.environ["REDCAP_API_TOKEN"])
frame_{n} = project_{n}.export_records(format_type="df", fields=["record_id", "site"])
frame_{n}["site"] = frame_{n}["site"].str.upper()
print(frame_{n}.groupby("site").size())
''',
    '''
def poll_{n}():
    while True:
        df = project_{n}.export_records(format_type="df")
        df.to_csv("dashboard_{n}.csv")
        time.sleep({sleep})
''',
    '''
def import_rows_{n}(rows):
    body = {{
        "token": TOKEN,
        "content": "record",
        "action": "import",
        "format": "json",
        "overwriteBehavior": "normal",
        "data": json.dumps(rows),
    }}
    r = requests.post(API_URL, data=body, timeout=60)
    logging.info("imported %s", r.json())
    return r
''',
    '''
def by_site_{n}(sites):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(fetch_record_{n}, sites))
''',
    '''
def clean_{n}(values):
    cleaned = [v.strip().lower() for v in values if v]
    return sorted(set(cleaned))
''',
    '''
async def version_{n}():
    async with httpx.AsyncClient(timeout=30) as client:
        r = await client.post(API_URL, data={{"token": TOKEN, "content": "version"}})
        return r.text
''',
    '''
links_{n} = [fetch_record_{n}(rid) for rid in ["1", "2", "3"]]
print(f"fetched {{len(links_{n})}} records from {{API_URL}}")
''',
]


def python_file(rng: random.Random, index: int) -> str:
    # one of each fragment at most, so helper names (suffixed with the file index) resolve
    chosen = [PY_FRAGMENTS[1]] + rng.sample(PY_FRAGMENTS[2:], rng.randint(4, 9))
    parts = [rng.choice(PY_HEADER), PY_FRAGMENTS[0].format(n=index)]
    parts += [frag.format(n=index, sleep=rng.choice([1, 5, 20, 30, 300])) for frag in chosen]
    return "".join(parts)


R_HEADER = [
    "library(REDCapR)\nlibrary(dplyr)\n",
    "library(httr)\nlibrary(jsonlite)\n",
    "library(redcapAPI)\nlibrary(purrr)\n",
]

R_FRAGMENTS = [
    '''
uri <- "https://redcap{n}.example.edu/api/"
token <- Sys.getenv("REDCAP_API_TOKEN")
fields <- c("record_id", "age", "sex", "visit_date")
''',
    '''
read_one_{n} <- function(id) {{
  body <- list(token = token, content = "record", format = "json", type = "flat")
  body$records <- id
  resp <- httr::POST(uri, body = body, encode = "form", httr::timeout(30))
  fromJSON(content(resp, as = "text", encoding = "UTF-8"))
}}
''',
    '''
ds_{n} <- redcap_read_oneshot(redcap_uri = uri, token = token)$data
ds_{n}$age_group <- cut(ds_{n}$age, breaks = c(0, 18, 65, Inf))
print(table(ds_{n}$age_group))
''',
    '''
for (id in c("1", "2", "3")) {{
  rows <- read_one_{n}(id)
  Sys.sleep({sleep})
}}
''',
    '''
per_record_{n} <- lapply(c("1", "2"), read_one_{n})
summary_{n} <- sapply(per_record_{n}, nrow)
''',
    '''
rcon_{n} <- redcapConnection(url = uri, token = token)
typed_{n} <- exportRecordsTyped(rcon_{n}, fields = fields)
''',
    '''
refresh_{n} <- function() {{
  repeat {{
    ds <- redcap_read(redcap_uri = uri, token = token, fields = fields)$data
    saveRDS(ds, "cache_{n}.rds")
    Sys.sleep({sleep})
  }}
}}
''',
    '''
clean_{n} <- function(df) {{
  df %>% filter(!is.na(record_id)) %>% mutate(site = toupper(site)) %>% arrange(record_id)
}}
''',
    '''
import_{n} <- function(df) {{
  httr::POST(uri, body = list(token = token, content = "record", format = "json",
                              data = toJSON(df)), encode = "form")
}}
''',
]


def r_file(rng: random.Random, index: int) -> str:
    chosen = [R_FRAGMENTS[1]] + rng.sample(R_FRAGMENTS[2:], rng.randint(4, 7))
    parts = [rng.choice(R_HEADER), R_FRAGMENTS[0].format(n=index)]
    parts += [frag.format(n=index, sleep=rng.choice([1, 5, 20, 30, 300])) for frag in chosen]
    return "".join(parts)


GENERATORS = {".py": python_file, ".R": r_file}


def generate(out: str, files: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    os.makedirs(out, exist_ok=True)
    paths = []
    exts = sorted(GENERATORS)
    for i in range(files):
        ext = exts[i % len(exts)]
        sub = os.path.join(out, f"project_{i // 100:03d}")
        os.makedirs(sub, exist_ok=True)
        path = os.path.join(sub, f"script_{i:05d}{ext}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(GENERATORS[ext](rng, i))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    paths = generate(args.out, args.files, args.seed)
    print(f"{len(paths)} files in {args.out}")


if __name__ == "__main__":
    main()
