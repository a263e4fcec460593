"""The front ends of the other languages against their parse floor, one language at a time.

    python benchmarks/languages.py [--files 300] [--pairs 5]

For PHP, JavaScript, TypeScript, shell, notebooks, Perl, Ruby and Java it writes a deterministic folder of
REDCap-style scripts (requests built in steps, helpers called in loops, sleeps, output, local
work) and times, as whole processes run in turn (floor, linter, floor, linter …), a process
that reads every file and parses it with the same grammar redcaplint uses (notebooks: the JSON
read and each code cell parsed) against `redcaplint check -j 1` on the folder. It prints the
median of the per-pair ratios: the same-run ratio is what holds on a noisy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# An installed package has its bytecode compiled when it is installed; a machine that sets
# PYTHONDONTWRITEBYTECODE would make every timed run recompile every module (both tools).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

FLOOR = """
import json, sys
from redcaplint.frontends._grammars import parser
from redcaplint.frontends.javascript import grammar_for
GRAMMAR = {".php": "php", ".sh": "bash", ".js": "javascript", ".ts": "typescript", ".pl": "perl",
           ".rb": "ruby", ".java": "java"}
n = 0
for line in open(sys.argv[1]):
    path = line.rstrip("\\n")
    text = open(path, encoding="utf-8").read()
    ext = path[path.rfind("."):]
    if ext == ".ipynb":
        for cell in json.loads(text)["cells"]:
            if cell["cell_type"] == "code":
                parser("python").parse("".join(cell["source"]).encode())
    else:
        parser(grammar_for(path) if ext in (".js", ".ts") else GRAMMAR[ext]).parse(text.encode())
    n += 1
print(n)
"""

PHP = """<?php
function pull_{n}($id) {{
    $fields = ['token' => getenv('REDCAP_API_TOKEN'), 'content' => 'record', 'format' => 'json'];
    $fields['records'] = $id;
    $ch = curl_init('https://redcap.example.edu/api/');
    curl_setopt_array($ch, [CURLOPT_POSTFIELDS => http_build_query($fields), CURLOPT_RETURNTRANSFER => true]);
    $out = curl_exec($ch);
    curl_close($ch);
    return json_decode($out, true);
}}
$rows_{n} = [];
foreach ([{ids}] as $id) {{
    $rows_{n}[] = pull_{n}($id);
    sleep({sleep});
}}
$total_{n} = array_sum(array_map(fn ($r) => count($r), $rows_{n}));
printf("%d rows\\n", $total_{n});
"""

JS = """const API_URL = "https://redcap.example.edu/api/";
const token = process.env.REDCAP_API_TOKEN;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function pull{n}(id) {{
  const body = new URLSearchParams({{ token, content: "record", format: "json", records: id }});
  const res = await fetch(API_URL, {{ method: "POST", body, signal: AbortSignal.timeout(30000) }});
  return res.json();
}}
export async function main{n}(ids) {{
  const seen = {{}};
  for (const id of ids) {{
    seen[id] = await pull{n}(id);
    await sleep({sleep}000);
  }}
  const labels = ids.map((id) => `record ${{id}}`);
  console.log(labels.join(", "));
  return seen;
}}
"""

SHELL = """#!/usr/bin/env bash
set -euo pipefail
API_URL="https://redcap.example.edu/api/"
TOKEN="${{REDCAP_API_TOKEN:?}}"
pull_{n}() {{
  curl -sS --max-time 30 -X POST "$API_URL" -d "token=$TOKEN" -d content=record -d format=json -d "records=$1"
}}
for id in {ids_sh}; do
  pull_{n} "$id" > "out_{n}_$id.json"
  sleep {sleep}
done
echo "done {n}"
"""

PERL = """#!/usr/bin/env perl
use strict;
use warnings;
use LWP::UserAgent;
my $api_url = 'https://redcap.example.edu/api/';
my $token = $ENV{{'REDCAP_API_TOKEN'}};
my $ua = LWP::UserAgent->new(timeout => 30);
sub pull_{n} {{
    my ($id) = @_;
    my %fields = (token => $token, content => 'record', format => 'json');
    $fields{{'records[0]'}} = $id;
    return $ua->post($api_url, \\%fields);
}}
foreach my $id ({ids}) {{
    my $res = pull_{n}($id);
    print $res->code, "\\n";
    sleep({sleep});
}}
"""

RUBY = """require 'net/http'
require 'uri'
API_URL = 'https://redcap.example.edu/api/'
def pull_{n}(id)
  uri = URI.parse(API_URL)
  http = Net::HTTP.new(uri.host, uri.port)
  http.use_ssl = true
  http.read_timeout = 30
  req = Net::HTTP::Post.new(uri.request_uri)
  req.set_form_data('token' => ENV['REDCAP_API_TOKEN'], 'content' => 'record', 'records[0]' => id)
  http.request(req)
end
[{ids}].each do |id|
  puts pull_{n}(id).code
  sleep {sleep}
end
"""

JAVA = """class Pull{n} {{
  static String pull_{n}(String id) throws Exception {{
    List<NameValuePair> params = new ArrayList<NameValuePair>();
    params.add(new BasicNameValuePair("token", System.getenv("REDCAP_API_TOKEN")));
    params.add(new BasicNameValuePair("content", "record"));
    params.add(new BasicNameValuePair("records[0]", id));
    HttpPost post = new HttpPost("https://redcap.example.edu/api/");
    post.setEntity(new UrlEncodedFormEntity(params));
    post.setConfig(RequestConfig.custom().setSocketTimeout(30000).build());
    return EntityUtils.toString(client.execute(post).getEntity());
  }}
  public static void main(String[] args) throws Exception {{
    for (String id : new String[] {{{ids}}}) {{
      System.out.println(pull_{n}(id));
      Thread.sleep({sleep}000);
    }}
  }}
}}
"""


def notebook(n: int, rng: random.Random) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": [f"# Pull {n}\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["%matplotlib inline\n", "import os, time, requests\n",
                    "API_URL = 'https://redcap.example.edu/api/'\n", "TOKEN = os.environ['REDCAP_API_TOKEN']\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": [f"def pull_{n}(i):\n",
                    "    data = {'token': TOKEN, 'content': 'record', 'format': 'json', 'records': i}\n",
                    "    return requests.post(API_URL, data=data, timeout=30).json()\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout",
                                                            "text": ["42 rows\n"]}], "execution_count": 3,
         "source": [f"rows = [pull_{n}(i) for i in {list(range(rng.randint(2, 9)))}]\n", "print(len(rows), 'rows')\n"]},
    ]
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5}, indent=1)


def generate(folder: Path, ext: str, files: int, rng: random.Random) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(files):
        ids = [str(rng.randint(1000, 9999)) for _ in range(rng.randint(2, 8))]
        fill = {"n": n, "ids": ", ".join(f"'{i}'" for i in ids), "ids_sh": " ".join(ids),
                "sleep": rng.choice([1, 5, 20, 30])}
        text = {".php": lambda: PHP.format(**fill), ".js": lambda: JS.format(**fill),
                ".ts": lambda: JS.format(**fill).replace("async function pull", "async function pull").replace(
                    "(id) {", "(id: string) {", 1),
                ".sh": lambda: SHELL.format(**fill), ".ipynb": lambda: notebook(n, rng),
                ".pl": lambda: PERL.format(**fill), ".rb": lambda: RUBY.format(**fill),
                ".java": lambda: JAVA.format(**dict(fill, ids=", ".join(f'"{i}"' for i in ids)))}[ext]()
        # a few copies of the helpers make files of a realistic size (100–300 lines)
        if ext not in (".ipynb", ".java"):
            body = text if ext != ".php" else text[len("<?php\n"):]
            text = text + "".join(body.replace(f"_{n}", f"_{n}_{k}").replace(f"{n}(", f"{n}x{k}(")
                                  for k in range(rng.randint(2, 6)))
        path = folder / f"script_{n:04}{ext}"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    os.wait4(proc.pid, 0)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--only", help="comma-separated extensions (php,js,ts,sh,ipynb,pl,rb,java)")
    args = ap.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        floor = work / "floor.py"
        floor.write_text(FLOOR)
        print("language     files  floor s  redcaplint s  ratio (median of pairs, min–max)")
        for ext, name in ((".php", "PHP"), (".js", "JavaScript"), (".ts", "TypeScript"), (".sh", "shell"),
                          (".ipynb", "notebooks"), (".pl", "Perl"), (".rb", "Ruby"), (".java", "Java")):
            if args.only and ext[1:] not in args.only.split(","):
                continue
            folder = work / ext[1:]
            paths = generate(folder, ext, args.files, rng)
            listing = work / f"{ext[1:]}.txt"
            listing.write_text("\n".join(paths) + "\n")
            lint = [sys.executable, "-m", "redcaplint", "check", "--isolated", "-j", "1", "--output-format",
                    "concise", str(folder)]
            timed(lint)  # warm the file cache
            pairs, floors, lints = [], [], []
            for _ in range(args.pairs):
                f = timed([sys.executable, str(floor), str(listing)])
                t = timed(lint)
                floors.append(f)
                lints.append(t)
                pairs.append(t / f)
            print(f"{name:<12} {len(paths):>5}  {statistics.median(floors):7.2f}  {statistics.median(lints):12.2f}"
                  f"  {statistics.median(pairs):5.2f} ({min(pairs):.2f}–{max(pairs):.2f})")


if __name__ == "__main__":
    main()
