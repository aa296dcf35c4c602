"""The one cap on a page of results, wherever the API or a page hands out lists a page at a time
(the contract's "first is capped at 100"); the GraphQL cost estimate assumes it too."""

MAX_PAGE_SIZE = 100
