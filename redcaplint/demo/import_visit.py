# Importing one visit with raw requests: the usual payload mistakes.
import json
import os

import requests

API_URL = "https://redcap.example.edu/api/"
visit = {"record_id": "1042", "weight_kg": "71.3"}
payload = {
    "token": os.environ["REDCAP_API_TOKEN"],
    "content": "record",
    "action": "import",
    # ruleid: RC305
    "format": "JSON",
    "overwriteBehavior": "overwrite",
    # ruleid: RC301
    "data": json.dumps(visit),
}
# ruleid: RC601
requests.post(API_URL, data=payload, timeout=60)
