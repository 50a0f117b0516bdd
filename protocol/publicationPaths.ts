// Where each published format of a sitting lives; the page, the notifications and the routes
// all take their URLs from here.
export const publicationPaths = (sittingId: string) => {
  const id = encodeURIComponent(sittingId);
  return {
    page: `/sittings/${id}/votes`,
    motionsCsv: `/api/sittings/${id}/motions.csv`,
    votingsCsv: `/api/sittings/${id}/votings.csv`,
    votesJson: `/api/sittings/${id}/votes.json`,
    log: `/api/sittings/${id}/log`,
    sitting: `/api/sittings/${id}`,
  };
};
