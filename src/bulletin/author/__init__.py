"""Author (above the pipeline): the author's tools. `bulletin preview` serves the pages and
rebuilds them on each change (`preview`, `server`); `bulletin new` writes a new
publication's skeleton (`skeleton`)."""
