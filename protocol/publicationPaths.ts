// Where each published format of a sitting lives; the page, the notifications and the routes
// all take their URLs from here.
export const publicationPaths = (sittingId: string) => {
  const id = encodeURIComponent(sittingId);
  return {
    page: `/sittings/${id}/votes`,
    /** The residents' page of the sitting: video, agenda, live panel. */
    watch: `/sittings/${id}`,
    motionsCsv: `/api/sittings/${id}/motions.csv`,
    votingsCsv: `/api/sittings/${id}/votings.csv`,
    motionsXlsx: `/api/sittings/${id}/motions.xlsx`,
    votingsXlsx: `/api/sittings/${id}/votings.xlsx`,
    minutesDocx: `/api/sittings/${id}/minutes.docx`,
    votesJson: `/api/sittings/${id}/votes.json`,
    log: `/api/sittings/${id}/log`,
    sitting: `/api/sittings/${id}`,
  };
};
