package bus

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
)

// member is a kafka-go consumer-group reader (see readerConfig) with a
// client id of its own, so that close can make sure it left the group.
type member struct {
	*kafka.Reader
	cfg      ConsumerConfig
	clientID string
}

func newMember(cfg ConsumerConfig, topics []string, queue, maxBytes int) *member {
	clientID := clientID + "-" + randomHex(8)
	return &member{
		Reader:   kafka.NewReader(cfg.readerConfig(clientID, topics, queue, maxBytes)),
		cfg:      cfg,
		clientID: clientID,
	}
}

// close closes the reader, then removes the member from the group if it is
// still there: kafka-go skips leaving when it is closed while it reports a
// failed join (a rebalance in progress), and the group would then wait for
// the member for the whole rebalance timeout before going on.
func (m *member) close() error {
	if err := m.Reader.Close(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := leaveGroup(ctx, m.cfg.Brokers, m.cfg.Group, m.clientID); err != nil {
		m.cfg.Logger.DebugContext(ctx, "making sure a member left its group", "group", m.cfg.Group, "err", err)
	}
	return nil
}

// leaveGroup removes the members of group that clientID created.
func leaveGroup(ctx context.Context, brokers []string, group, clientID string) error {
	t := newTransport()
	defer t.CloseIdleConnections()
	c := &kafka.Client{Addr: kafka.TCP(brokers...), Transport: t}
	desc, err := c.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return fmt.Errorf("describing group: %w", err)
	}
	var leaving []kafka.LeaveGroupRequestMember
	for _, g := range desc.Groups {
		for _, m := range g.Members {
			if m.ClientID == clientID {
				leaving = append(leaving, kafka.LeaveGroupRequestMember{ID: m.MemberID})
			}
		}
	}
	if len(leaving) == 0 {
		return nil
	}
	resp, err := c.LeaveGroup(ctx, &kafka.LeaveGroupRequest{GroupID: group, Members: leaving})
	if err == nil {
		err = resp.Error
	}
	if err != nil {
		return fmt.Errorf("leaving group: %w", err)
	}
	return nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
