# Per-site pulls with REDCapR and httr: a loop with no pause, a full one-shot export and a
# request without a timeout.
library(REDCapR)
library(httr)

uri <- "https://redcap.example.edu/api/"
token <- Sys.getenv("REDCAP_API_TOKEN")
sites <- c("boston", "denver", "houston")

# ruleid: RC401
everything <- redcap_read_oneshot(redcap_uri = uri, token = token)$data

per_site <- list()
for (site in sites) {
  # ruleid: RC201
  per_site[[site]] <- redcap_read(redcap_uri = uri, token = token,
                                  filter_logic = sprintf("[site] = '%s'", site))$data
}

# ruleid: RC501
version <- httr::POST(uri, body = list(token = token, content = "version"), encode = "form")
