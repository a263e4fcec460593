import requests

API_URL = "http://redcap.example.edu/api/"
TOKEN = "0123456789ABCDEF0123456789ABCDEF"

for rid in ["1", "2"]:
    payload = {"token": TOKEN, "content": "records", "records[0]": rid}
    requests.post(API_URL, data=payload, verify=False)
print("token", TOKEN)
