"""The topic-discussion kind (activities side): a backlog of voted topics, one per slot."""
