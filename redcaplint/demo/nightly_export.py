# A nightly job that pulls every record, one record at a time, as fast as it can.
import time

import requests

# ruleid: RC105
API_URL = "http://redcap.example.edu/api/"
# ruleid: RC101
TOKEN = "DEADBEEFDEADBEEFDEADBEEFDEADBEEF"


def fetch(record_id):
    payload = {"token": TOKEN, "content": "record", "format": "json", "records[0]": record_id}
    # ruleid: RC104, RC501
    return requests.post(API_URL, data=payload, verify=False).json()


def all_ids():
    payload = {"token": TOKEN, "content": "record", "format": "json", "fields[0]": "record_id"}
    return requests.post(API_URL, data=payload, timeout=60).json()


rows = {}
for row in all_ids():
    # ruleid: RC201
    rows[row["record_id"]] = fetch(row["record_id"])
time.sleep(60)
# ruleid: RC102
print("done with token", TOKEN)
