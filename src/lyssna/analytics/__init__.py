"""Analytics over the store's series: spikes, campaign and pilot impact, and the overviews of a topic."""
