# A dashboard that re-exports the whole project every minute with PyCap.
import os
import time

from redcap import Project

project = Project("https://redcap.example.edu/api/", os.environ["REDCAP_API_TOKEN"])

while True:
    # ruleid: RC401, RC402
    df = project.export_records(format_type="df")
    df.to_csv("dashboard.csv")
    # ruleid: RC202
    time.sleep(5)
