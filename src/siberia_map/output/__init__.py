"""What the user gets: the HTML page (payload, render, assets, the folium plugin), exports,
the figure, the report, and the one module every file is written through."""
