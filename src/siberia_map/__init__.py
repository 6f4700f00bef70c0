"""siberia-map: a campaign's places, railways and dated events as one time-sliced map."""

__version__ = "0.1.0"
