"""The reader: server-rendered pages for people, over the same data and queries as the API.

Pages live under ``/read/`` (``api.reader.urls``); browsers that open an API address are sent
to its page by ``api.reader.middleware``. See the README's "Reading in the browser".
"""
